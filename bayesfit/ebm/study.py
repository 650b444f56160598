"""The RBM objective study: every objective over n on SK and Curie-Weiss targets, exact
metrics, and a Bayesian hierarchical comparison of the gaps.

Run ``python -m bayesfit.ebm.study`` (full: n = 8, 11, 14, 17, 20; 3 seeds; 2000 PCD
steps) or ``--quick`` (n = 8, 12; 2 seeds; 300 steps). Writes to ``--out`` (default
``benchmarks/results/ebm_study``): ``runs.csv`` (one row per run), ``table.md`` (the
printed tables), ``compare_<metric>.nc`` (ArviZ DataTree, written atomically) and PNG
plots; ``--table PATH`` also copies the tables there.

Setup (docs/specs/ebm.md, section 1.5): SK with J_ij ~ N(0, 1/n) at beta = 2 (instance
seed 7) and Curie-Weiss at beta = 1.5; N = 1000 exact iid training samples; RBM with
m = n hidden units, W ~ N(0, 0.01**2); Adam(0.02); PCD with 256 chains and 10 sweeps.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from dataclasses import dataclass, field, replace

import jax
import numpy as np
import optax
import pandas as pd

from ._rbm import RBM
from ._samples import Samples
from ._states import index_to_spins, sample_indices
from ._train import fit
from .compare import compare_methods, gap_summary, plot_comparison, save_tree
from .metrics import evaluate_exact, exact_reference, stability
from .objectives import ForwardKL, Jeffreys, LogRatioVariance, RatioDivergence, ReverseKL
from .samplers import PCD
from .targets import SK, CurieWeiss


def study_objectives(include_model_reference: bool = False) -> tuple:
    """Both KLs, their sum and the ratio-divergence family (RD-A, RD-B, RD-C).

    ``LogRatioVariance("model")`` is left out by default: its gradient is exactly twice
    the reverse-KL gradient (tests/ebm/objectives), and Adam is invariant to that scale,
    so it retraces reverse KL's runs at the cost of a seventh method.
    """
    objs = (ForwardKL(), ReverseKL(), Jeffreys(), LogRatioVariance("data"),
            RatioDivergence(), LogRatioVariance("mixture"))
    return objs + ((LogRatioVariance("model"),) if include_model_reference else ())


@dataclass(frozen=True)
class StudyConfig:
    """What the study runs. ``targets`` are names among ``"SK"``, ``"CW"``."""

    ns: tuple[int, ...] = (8, 11, 14, 17, 20)
    targets: tuple[str, ...] = ("SK", "CW")
    sk_beta: float = 2.0
    sk_seed: int = 7
    cw_beta: float = 1.5
    n_data: int = 1000
    seeds: int = 3
    steps: int = 2000
    lr: float = 0.02
    sampler: PCD = PCD(chains=256, k=10)
    objectives: tuple = field(default_factory=study_objectives)
    reference: str = "RD-B"
    key: int = 0


QUICK = StudyConfig(ns=(8, 12), seeds=2, steps=300)


def make_target(name: str, n: int, cfg: StudyConfig):
    if name == "SK":
        return SK(n, beta=cfg.sk_beta, seed=cfg.sk_seed)
    if name == "CW":
        return CurieWeiss(n, beta=cfg.cw_beta)
    from ._errors import OptionError

    raise OptionError(f"study: unknown target {name!r}; use 'SK' or 'CW'.")


def run_study(cfg: StudyConfig, log=None) -> pd.DataFrame:
    """Train every objective on every target and size; one row per (run, seed)."""
    log = log or (lambda msg: print(msg, file=sys.stderr, flush=True))
    optimizer = optax.adam(cfg.lr)
    rows = []
    for ti, tname in enumerate(cfg.targets):
        for n in cfg.ns:
            target = make_target(tname, n, cfg)
            t0 = time.perf_counter()
            ref = exact_reference(target)
            key = jax.random.fold_in(jax.random.key(cfg.key), 1000 * ti + n)
            idx = sample_indices(key, ref.enumeration.log_p, cfg.n_data)
            data = Samples.uniform(index_to_spins(idx, n))
            log(f"[{tname} n={n}] enumerated + data in {time.perf_counter() - t0:.1f}s; "
                f"{int(np.sum(np.asarray(ref.basins.p_mass) >= 0.01))} modes")
            rbm = RBM(n, n)
            t0 = time.perf_counter()
            res = fit(rbm, target, data, cfg.objectives, key=jax.random.fold_in(key, 7),
                      seeds=cfg.seeds, sampler=cfg.sampler, optimizer=optimizer,
                      steps=cfg.steps)
            jax.block_until_ready(res.params)
            t_fit = time.perf_counter() - t0
            t0 = time.perf_counter()
            for oi, obj in enumerate(cfg.objectives):
                params = jax.tree.map(lambda a, oi=oi: a[oi], res.params)
                hist = jax.tree.map(lambda a, oi=oi: a[oi], res.history)
                ev = evaluate_exact(rbm, params, ref)
                st = stability(hist, {k: ev[k] for k in ("kl_pq", "energy_error")})
                for s in range(cfg.seeds):
                    rows.append({
                        "target": tname, "n": n, "method": obj.short, "label": obj.label,
                        "seed": s, **{k: ev[k][s] for k in ("kl_pq", "kl_qp",
                                                           "energy_error",
                                                           "energy_error_uniform",
                                                           "modes_covered",
                                                           "modes_total", "basin_tv")},
                        "min_mode_ratio": float(np.min(ev["mode_q_over_p"][s])),
                        "relapse": st["relapse"], "grad_cv": st["grad_cv"],
                        "diverged": st["diverged"], "fit_seconds": t_fit,
                    })
                log(f"[{tname} n={n}] {obj.short:6s} KL(p||q)={np.median(ev['kl_pq']):.3g}  "
                    f"modes={ev['modes_covered'].tolist()}/{ev['modes_total'][0]}")
            log(f"[{tname} n={n}] training {len(cfg.objectives)} objectives x {cfg.seeds} "
                f"seeds: {t_fit:.1f}s; exact metrics {time.perf_counter() - t0:.1f}s")
    return pd.DataFrame(rows)


def _cell(v: np.ndarray, fmt: str) -> str:
    if len(v) == 1:
        return format(v[0], fmt)
    return f"{format(np.mean(v), fmt)} ± {format(np.std(v, ddof=1), fmt)}"


def format_tables(runs: pd.DataFrame) -> str:
    """Markdown tables (mean ± sd over seeds) per target: KL(p||q) with modes covered,
    KL(q||p), and the energy-fit error."""
    methods = list(dict.fromkeys(runs["method"]))
    out = []
    specs = [("kl_pq", "KL(p‖q) [nats], modes covered (mean over seeds)/total", ".3g"),
             ("kl_qp", "KL(q‖p) [nats]", ".3g"),
             ("energy_error", "energy-fit error sd_p[F − βH] [nats]", ".3g")]
    for tname, tdf in runs.groupby("target", sort=False):
        for col, title, fmt in specs:
            out.append(f"\n**{tname}: {title}**\n")
            out.append("| n | " + " | ".join(methods) + " |")
            out.append("|---|" + "---|" * len(methods))
            for n, ndf in tdf.groupby("n"):
                cells = []
                for m in methods:
                    r = ndf[ndf["method"] == m]
                    c = _cell(r[col].to_numpy(float), fmt)
                    if col == "kl_pq":
                        c += f" ({r['modes_covered'].mean():.3g}/{int(r['modes_total'].iloc[0])})"
                    cells.append(c)
                out.append(f"| {n} | " + " | ".join(cells) + " |")
    out.append("\n**Mode coverage and stability over all n and seeds** (all modes: fraction "
               "of runs covering every mode; seed sd: sd over seeds of log KL(p‖q), "
               "averaged over n; relapse: largest log-rise of the data energy-fit error "
               "above its running minimum during training)\n")
    out.append("| target | method | all modes | seed sd of log KL(p‖q) | relapse | "
               "diverged |")
    out.append("|---|---|---|---|---|---|")
    for (tname, m), g in runs.groupby(["target", "method"], sort=False):
        sd = g.groupby("n")["kl_pq"].apply(lambda v: np.std(np.log(v), ddof=1)
                                           if len(v) > 1 else 0.0).mean()
        full = np.mean(g["modes_covered"] == g["modes_total"])
        out.append(f"| {tname} | {m} | {full:.2f} | {sd:.2f} | {g['relapse'].mean():.2f} | "
                   f"{g['diverged'].mean():.2f} |")
    return "\n".join(out) + "\n"


def format_gaps(summary: pd.DataFrame, metric: str, reference: str) -> str:
    lines = [f"\n**Posterior of the gap to {reference} in {metric}** (factor = "
             f"exp(gap) at the geometric-mean n; growth = exponent of n in the ratio; "
             "medians with 90% intervals)\n",
             "| target | method | factor | 90% | P(gap>0) | growth | 90% | P(growth>0) |",
             "|---|---|---|---|---|---|---|---|"]
    for _, r in summary.iterrows():
        lines.append(
            f"| {r['target']} | {r['method']} | {r['gap_factor']:.3g} | "
            f"[{r['gap_lo']:.3g}, {r['gap_hi']:.3g}] | {r['P(gap>0)']:.2f} | "
            f"{r['growth']:.2f} | [{r['growth_lo']:.2f}, {r['growth_hi']:.2f}] | "
            f"{r['P(growth>0)']:.2f} |")
    return "\n".join(lines) + "\n"


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="python -m bayesfit.ebm.study", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--quick", action="store_true", help="n = 8, 12; 2 seeds; 300 steps")
    p.add_argument("--out", default=os.path.join("benchmarks", "results", "ebm_study"))
    p.add_argument("--table", default=None, help="also write the tables to this file")
    p.add_argument("--ns", type=int, nargs="+", default=None)
    p.add_argument("--targets", nargs="+", default=None, choices=["SK", "CW"])
    p.add_argument("--seeds", type=int, default=None)
    p.add_argument("--steps", type=int, default=None)
    p.add_argument("--no-compare", action="store_true", help="skip the NumPyro comparison")
    p.add_argument("--with-model-reference", action="store_true",
                   help="also train LogRatioVariance(reference='model') (= 2 x reverse KL)")
    a = p.parse_args(argv)
    cfg = QUICK if a.quick else StudyConfig()
    for name in ("ns", "targets", "seeds", "steps"):
        if getattr(a, name) is not None:
            v = getattr(a, name)
            cfg = replace(cfg, **{name: tuple(v) if name in ("ns", "targets") else v})
    if a.with_model_reference:
        cfg = replace(cfg, objectives=study_objectives(True))
    t_start = time.perf_counter()
    runs = run_study(cfg)
    t_train = time.perf_counter() - t_start
    os.makedirs(a.out, exist_ok=True)
    runs.to_csv(os.path.join(a.out, "runs.csv"), index=False)
    text = [f"# RBM objective study ({'quick' if a.quick else 'full'})\n",
            f"targets {list(cfg.targets)}, n = {list(cfg.ns)}, {cfg.seeds} seeds, "
            f"{cfg.steps} Adam({cfg.lr}) steps, PCD({cfg.sampler.chains} chains, "
            f"k = {cfg.sampler.k}), N = {cfg.n_data} exact samples, m = n; exact metrics "
            "by enumeration. Modes: zero-temperature descent basins with >= 1% of p; "
            "covered if q's mass >= 0.5 x p's.\n",
            format_tables(runs)]
    if not a.no_compare:
        t0 = time.perf_counter()
        for metric in ("kl_pq", "energy_error"):
            tree = compare_methods(runs, metric=metric, reference=cfg.reference)
            save_tree(tree, os.path.join(a.out, f"compare_{metric}.nc"))
            plot_comparison(tree, os.path.join(a.out, f"plots_{metric}"))
            text.append(format_gaps(gap_summary(tree), metric, cfg.reference))
        t_cmp = time.perf_counter() - t0
    else:
        t_cmp = 0.0
    total = time.perf_counter() - t_start
    cpu = time.process_time()
    load = os.getloadavg()[1] if hasattr(os, "getloadavg") else float("nan")
    text.append(f"\nWall time: training + exact metrics {t_train:.0f} s, Bayesian comparison "
                f"{t_cmp:.0f} s, total {total:.0f} s; CPU time of this process {cpu:.0f} s "
                f"({os.cpu_count()} CPU cores, 5-min load average at the end {load:.1f}).\n")
    md = "\n".join(text)
    print(md)
    with open(os.path.join(a.out, "table.md"), "w") as f:
        f.write(md)
    if a.table:
        os.makedirs(os.path.dirname(os.path.abspath(a.table)), exist_ok=True)
        with open(a.table, "w") as f:
            f.write(md)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
