"""The chi-only fit of KCu4P3O12: REMC's mode weights against importance sampling (issue 10).

The susceptibility alone does not pin the four couplings: besides the best optimum the
multi-start MAP finds others a few nats lower (one with a ferromagnetic J4). A sampler that
stays in one mode reports it with a confident, wrong posterior. This script

1. lists the distinct optima of a 64-start MAP search on the chi dataset of
   ``models/kcu4p3o12.toml`` (noise fixed at its generating level, 1e-4 emu/mol, so every
   route samples the same posterior);
2. fits it with REMC at its default settings (``chains`` runs) and counts the posterior
   weight of each optimum (draws assigned to the nearest optimum in Laplace widths), with
   the spread over runs as its error;
3. computes the same weights by importance sampling from a defensive mixture of
   multivariate-t proposals (4 degrees of freedom, covariance 1.5**2 x the Laplace one) centred
   at every optimum, plus the prior: independent of REMC (no Markov chain, no ladder);
   exact as the number of draws grows, its error from the variance of the weights.

Run: ``.venv/bin/python benchmarks/remc_chi_modes.py`` (about 10 minutes on 2 cores;
``--draws`` and ``--is-draws`` to change the work). Prints a table of the optima with their
Laplace weights, REMC weights and importance-sampling weights.
"""

from __future__ import annotations

import argparse
import dataclasses
import time
import warnings
from pathlib import Path

import jax
import jax.numpy as jnp
import numpy as np
from scipy import stats

import bayesfit
from bayesfit.inference._optima import Mode, assign, distinct_optima, laplace_weights
from bayesfit.inference._optimize import maximize
from bayesfit.io import load_model

ROOT = Path(__file__).resolve().parents[1]
SIGMA_CHI = 1e-4  # emu/mol: the generating noise level of data/kcu4p3o12/chi.csv


def chi_problem():
    spec = load_model(ROOT / "models" / "kcu4p3o12.toml")
    chi = [d for d in spec.read_datasets() if d.name == "chi"][0]
    chi = dataclasses.replace(chi, sigma=SIGMA_CHI)
    return bayesfit.Problem(spec.parameters, [chi], units=spec.units, name="chi only")


def optima(problem, restarts, seed) -> list[Mode]:
    """Distinct proper optima of a ``restarts``-start MAP search, best first."""
    z0 = problem.sample_prior_z(jax.random.PRNGKey(seed), restarts)
    opt = maximize(problem.log_density_z, z0)
    return [m for m in distinct_optima(problem.log_density_z, opt) if m.proper]


def importance(problem, modes, n, seed, extra=(), df=4.0, inflate=1.5):
    """Mode weights by importance sampling from a defensive mixture: a multivariate t at
    every optimum (Laplace covariance x ``inflate**2``), the ``extra`` (mean, covariance)
    components (e.g. moments of a mode's posterior draws: any proposal keeps the estimate
    unbiased, a closer one lowers its variance), and the prior."""
    rng = np.random.default_rng(seed)
    dim = problem.dim
    comps = [stats.multivariate_t(m.z, inflate**2 * m.cov, df=df) for m in modes]
    comps += [stats.multivariate_t(mu, inflate**2 * cov, df=df) for mu, cov in extra]
    k = len(comps) + 1  # + the prior (defensive)
    which = rng.integers(0, k, size=n)
    z = np.empty((n, dim))
    for j, c in enumerate(comps):
        idx = np.flatnonzero(which == j)
        z[idx] = c.rvs(size=len(idx), random_state=rng).reshape(len(idx), dim)
    idx = np.flatnonzero(which == k - 1)
    z[idx] = np.asarray(problem.sample_prior_z(jax.random.PRNGKey(seed), len(idx)))
    log_prior_z = jax.jit(jax.vmap(problem.log_prior_z))
    log_q = [c.logpdf(z) for c in comps] + [np.asarray(log_prior_z(jnp.asarray(z)))]
    log_q = np.logaddexp.reduce(np.stack(log_q), axis=0) - np.log(k)
    dens = jax.jit(jax.vmap(problem.log_density_z))
    lp = np.concatenate([np.asarray(dens(jnp.asarray(b)))
                         for b in np.array_split(z, max(1, n // 500))])
    lw = np.where(np.isfinite(lp), lp - log_q, -np.inf)
    w = np.exp(lw - np.max(lw))
    lab = assign(z, modes)
    W = w.sum()
    weights, errs = [], []
    for j in range(len(modes)):
        f = (lab == j).astype(float)
        p = float(np.sum(w * f) / W)
        # delta-method error of a ratio estimator
        errs.append(float(np.sqrt(np.sum((w * (f - p)) ** 2)) / W))
        weights.append(p)
    ess = float(W**2 / np.sum(w**2))
    log_z = float(np.log(np.mean(w)) + np.max(lw))
    return np.array(weights), np.array(errs), ess, log_z


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--chains", type=int, default=4)
    ap.add_argument("--draws", type=int, default=1000)
    ap.add_argument("--warmup", type=int, default=500)
    ap.add_argument("--restarts", type=int, default=64)
    ap.add_argument("--is-draws", type=int, default=60000)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--fit", default="benchmarks/results/remc_chi_modes_fit.nc",
                    help="where the REMC fit is saved, and reused from if it exists")
    a = ap.parse_args()
    problem = chi_problem()
    names = list(problem.free)
    t0 = time.perf_counter()
    modes = optima(problem, a.restarts, a.seed)
    t_map = time.perf_counter() - t0
    lap = laplace_weights(modes)
    t0 = time.perf_counter()
    fit_path = Path(a.fit)
    caught = []
    if fit_path.is_file():  # reuse an earlier REMC fit of this script
        res = bayesfit.load(fit_path)
    else:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            res = bayesfit.fit(problem, bayesfit.REMC(), chains=a.chains, draws=a.draws,
                               warmup=a.warmup, seed=a.seed, progress=None, predictive=False)
        res.save(fit_path)
    t_remc = time.perf_counter() - t0
    unc = jax.vmap(problem.unconstrain)
    zs = [np.asarray(unc({k: jnp.asarray(res.posterior[k].values[c]) for k in problem.free}))
          for c in range(a.chains)]
    per_run = np.stack([np.bincount(assign(zc, modes), minlength=len(modes)) / len(zc)
                        for zc in zs])
    pooled = np.concatenate(zs)
    labels = assign(pooled, modes)
    extra = [(pooled[labels == j].mean(0), np.cov(pooled[labels == j].T))
             for j in range(len(modes)) if np.sum(labels == j) >= 10 * problem.dim]
    t0 = time.perf_counter()
    w_is, e_is, ess, log_z = importance(problem, modes, a.is_draws, a.seed + 1, extra)
    t_is = time.perf_counter() - t0
    attrs = res.tree.attrs
    print(f"# chi-only KCu4P3O12 (sigma fixed at {SIGMA_CHI:g} emu/mol); {len(modes)} distinct "
          f"optima of {a.restarts} MAP starts ({t_map:.0f} s)")
    print(f"# REMC default: reference {attrs.get('reference')}, {attrs.get('replicas')} "
          f"replicas, {a.chains} runs x ({a.warmup} + {a.draws}), round trips per run "
          f"min {attrs.get('round_trips_min')}, log Z {attrs.get('log_evidence'):.3f} +- "
          f"{attrs.get('log_evidence_err'):.3f}, {t_remc:.0f} s")
    print(f"# importance sampling: {a.is_draws} draws, ESS {ess:.0f}, log Z {log_z:.3f}, "
          f"{t_is:.0f} s")
    fails = [str(w.message).replace("\n", " ") for w in caught if "FAILED" in str(w.message)]
    print("# REMC diagnostics:", "; ".join(fails) if fails else
          attrs.get("diagnostics_failed", "passed"))
    print("| optimum | log density | " + " | ".join(names) + " | Laplace weight | REMC weight "
          "(runs) | IS weight |")
    print("|---|---|" + "---|" * len(names) + "---|---|---|")
    for j, m in enumerate(modes):
        vals = problem.constrain(jnp.asarray(m.z))
        v = " | ".join(f"{float(np.ravel(vals[k])[0]):.3f}" for k in names)
        r = per_run[:, j]
        print(f"| {j} | {m.value:.2f} | {v} | {lap[j]:.2e} | {r.mean():.2e} +- "
              f"{r.std(ddof=1) / np.sqrt(len(r)):.1e} ({', '.join(f'{x:.4f}' for x in r)}) | "
              f"{w_is[j]:.2e} +- {e_is[j]:.1e} |")


if __name__ == "__main__":
    main()
