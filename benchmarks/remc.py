"""Benchmark: the log evidence of a 5-parameter nonlinear model, to ~0.1 nats.

Compares, in one run and on the same data:
  * bayesfit REMC (HMC and RWM moves; jitted, replicas vmapped, runs looped),
  * dynesty static nested sampling (the usual tool; NumPy likelihood),
  * a NumPy tempering loop, the baseline a user would write: a Python loop over steps and
    temperatures, RWM per replica (its own step-size adaptation), DEO swaps, stepping-stone
    evidence; it uses bayesfit's adapted ladder and the same runs, steps and moves as
    bayesfit REMC(move="rwm"), so the two differ mainly in the implementation.
``|dZ|`` is taken against importance sampling with a multivariate-t proposal fitted to the
posterior draws (2e5 draws; unbiased, error ~0.002). Wall times include JAX compilation (a
user runs a fit once); ``warm`` repeats the bayesfit run with the compiled code. ``t(0.1)``
is the wall time scaled to an error of 0.1 nats (error ~ 1/sqrt(time); for bayesfit this
also scales the compilation). The last lines compare measured wall times at two accuracy
levels (about 0.1 and 0.05 nats), and bayesfit against the NumPy loop (same algorithm).

Two more studies (issue 10), each selected by a flag:

``--two-modes``: the log evidence of a 6-D mixture of two narrow Gaussians (weights 0.3 /
0.7, 30 widths apart, prior log likelihoods below -1e6; exact answers from
``tests/inference/remc/helpers.make_two_modes``): bayesfit REMC with the prior, Gaussian and
stabilized references against dynesty; error against the exact value per CPU-second.

``--references``: the main job's posterior (``models/kcu4p3o12.toml``, noise levels fixed at
the generating values, so every scheme samples the same target): round trips per run and
per CPU-second, the barrier ``Lambda`` and the bulk ESS per CPU-second of J1..J4 and g, for
the prior, Gaussian and stabilized references in the same run.

Run: ``.venv/bin/python benchmarks/remc.py`` (``--quick`` for a smoke run).
"""

from __future__ import annotations

import argparse
import os
import time

import jax.numpy as jnp
import numpy as np
import numpyro.distributions as dist

import bayesfit
from bayesfit.inference.remc._evidence import stepping_stone

LO = np.array([0.0, -2.0, 0.1, -1.0, -1.0])
HI = np.array([5.0, 2.0, 2.0, 1.0, 1.0])
NAMES = ["A", "mu", "w", "c0", "c1"]
SIGMA = 0.1
TARGET = 0.1  # nats


def peak(p, x):
    return p["A"] * jnp.exp(-0.5 * ((x - p["mu"]) / p["w"]) ** 2) + p["c0"] + p["c1"] * x


def data(n=100, seed=0):
    rng = np.random.default_rng(seed)
    x = np.linspace(-3, 3, n)
    truth = dict(A=1.5, mu=0.4, w=0.6, c0=0.2, c1=-0.1)
    y = np.asarray(peak({k: jnp.asarray(v) for k, v in truth.items()}, x))
    return x, y + SIGMA * rng.normal(size=n)


def loglike_np(theta, x, y):
    A, mu, w, c0, c1 = theta
    r = (y - (A * np.exp(-0.5 * ((x - mu) / w) ** 2) + c0 + c1 * x)) / SIGMA
    return -0.5 * r @ r - x.size * np.log(SIGMA * np.sqrt(2 * np.pi))


def run_bayesfit(x, y, move, chains, draws, warmup, replicas, moves_per_step):
    problem = bayesfit.Problem(
        {k: dist.Uniform(lo, hi) for k, lo, hi in zip(NAMES, LO, HI, strict=True)},
        bayesfit.Dataset(x, y, sigma=SIGMA, model=peak))
    method = bayesfit.REMC(move=move, replicas=replicas, moves_per_step=moves_per_step,
                           reference="prior")
    kw = dict(chains=chains, draws=draws, warmup=warmup, seed=1, progress=False,
              predictive=False)
    t0 = time.perf_counter()
    res = bayesfit.fit(problem, method, **kw)
    cold = time.perf_counter() - t0
    t0 = time.perf_counter()
    bayesfit.fit(problem, method, **(kw | {"seed": 2}))
    warm = time.perf_counter() - t0
    return res, cold, warm


def run_dynesty(x, y, nlive, seed=0):
    import dynesty

    t0 = time.perf_counter()
    s = dynesty.NestedSampler(loglike_np, lambda u: LO + (HI - LO) * u, 5, nlive=nlive,
                              logl_args=(x, y), rstate=np.random.default_rng(seed))
    s.run_nested(dlogz=0.01, print_progress=False)
    return float(s.results.logz[-1]), float(s.results.logzerr[-1]), time.perf_counter() - t0


def importance_reference(x, y, post, n=200_000, seed=3):
    """log Z by importance sampling from a multivariate t (4 dof) fitted to posterior draws
    ``post`` ``(m, 5)``: unbiased whatever the proposal, precise when it covers the
    posterior (here nearly Gaussian). Independent of the ladder estimators."""
    from scipy.special import logsumexp
    from scipy.stats import multivariate_t

    q = multivariate_t(post.mean(0), np.cov(post.T) * 1.5, df=4, seed=seed)
    th = q.rvs(n)
    inside = np.all((th > LO) & (th < HI), axis=1)
    logw = np.full(n, -np.inf)
    A, mu, w, c0, c1 = th[inside].T
    mean = A[:, None] * np.exp(-0.5 * ((x - mu[:, None]) / w[:, None]) ** 2) + c0[:, None] \
        + c1[:, None] * x
    r = (y - mean) / SIGMA
    ll = -0.5 * np.sum(r * r, axis=1) - x.size * np.log(SIGMA * np.sqrt(2 * np.pi))
    logw[inside] = ll - np.sum(np.log(HI - LO)) - q.logpdf(th[inside])
    z = logsumexp(logw) - np.log(n)
    wn = np.exp(logw - logw.max())
    err = np.std(wn) / np.mean(wn) / np.sqrt(n)
    return float(z), float(err)


def run_numpy_loop(x, y, betas, chains, draws, warmup, moves_per_step, seed=0):
    """REMC as a user would write it: loops over steps, temperatures and moves (NumPy),
    RWM with a per-replica step size adapted during the first half of the warm-up
    (Robbins-Monro towards acceptance 0.3) on per-replica scales estimated on the way."""
    rng = np.random.default_rng(seed)
    K = betas.shape[1]
    t0 = time.perf_counter()
    u = np.zeros((chains, draws, K))
    for c in range(chains):
        b = betas[c]
        z = LO + (HI - LO) * rng.uniform(size=(K, 5))
        ll = np.array([loglike_np(t, x, y) for t in z])
        log_eps = np.full(K, np.log(0.5))
        scale = np.tile((HI - LO) / 4, (K, 1))
        mean, m2, n = z.copy(), np.zeros((K, 5)), 1
        for t in range(warmup + draws):
            for k in range(K):
                if k == 0:  # exact draw from the prior at b = 0
                    z[0] = LO + (HI - LO) * rng.uniform(size=5)
                    ll[0] = loglike_np(z[0], x, y)
                    continue
                acc = 0.0
                for _ in range(moves_per_step):
                    prop = z[k] + np.exp(log_eps[k]) * scale[k] * rng.normal(size=5)
                    if np.any(prop < LO) or np.any(prop > HI):
                        continue
                    lp = loglike_np(prop, x, y)
                    if np.log(rng.uniform()) < b[k] * (lp - ll[k]):
                        z[k], ll[k] = prop, lp
                        acc += 1.0 / moves_per_step
                if t < warmup // 2:
                    log_eps[k] += (acc - 0.3) / np.sqrt(t + 1)
            for k in range(t % 2, K - 1, 2):  # DEO swaps
                if np.log(rng.uniform()) < (b[k + 1] - b[k]) * (ll[k] - ll[k + 1]):
                    z[[k, k + 1]] = z[[k + 1, k]]
                    ll[[k, k + 1]] = ll[[k + 1, k]]
            if t < warmup // 2:  # running variance of every replica -> proposal scales
                n += 1
                d = z - mean
                mean += d / n
                m2 += d * (z - mean)
                if t in (warmup // 8, warmup // 4, warmup // 2 - 1):
                    scale = np.sqrt(m2 / (n - 1)) + 1e-6 * (HI - LO)
                    mean, m2, n = z.copy(), np.zeros((K, 5)), 1
            if t >= warmup:
                u[c, t - warmup] = ll
    est = stepping_stone(betas, u)
    return est.value, est.err, time.perf_counter() - t0


def _cpu():
    t = os.times()
    return t.user + t.system


def _fit_timed(problem, method, **kw):
    import warnings

    c0, t0 = _cpu(), time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        res = bayesfit.fit(problem, method, progress=False, predictive=False, **kw)
    return res, _cpu() - c0, time.perf_counter() - t0


def two_modes(quick: bool):
    """Evidence error per CPU-second on the two-mode target: REMC references vs dynesty."""
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "inference" / "remc"))
    from helpers import make_two_modes

    m = make_two_modes()
    rows = []
    draws = 500 if quick else 1500
    for ref in ("prior", "gaussian", "stabilized"):
        method = bayesfit.REMC(reference=ref, leapfrog_steps=4,
                               replicas=16 if ref == "prior" else None)
        res, cpu, wall = _fit_timed(m.problem, method, chains=4, draws=draws, warmup=500,
                                    seed=1)
        w = float(np.mean(res.draws("a0") < 0))
        trips = res.tree["ladder"]["round_trips"].values
        rows.append((f"REMC reference={ref}", res.log_evidence, res.log_evidence_err, w,
                     int(trips.min()), cpu, wall))
        print(rows[-1], flush=True)
    import dynesty
    from scipy.stats import norm

    x, y, d = m.x, m.y, m.x.shape[1]

    def loglike(a):
        h = a[0] if a[0] > 0 else -3.0 / 7.0 * a[0]
        r = (y - x @ np.concatenate([[h], a[1:]])) / 0.1
        return -0.5 * r @ r - y.size * np.log(0.1 * np.sqrt(2 * np.pi))

    c0, t0 = _cpu(), time.perf_counter()
    s = dynesty.NestedSampler(loglike, lambda u: norm.ppf(u) * 100.0, d,
                              nlive=200 if quick else 1000, rstate=np.random.default_rng(0))
    s.run_nested(dlogz=0.01, print_progress=False)
    r = s.results
    wts = np.exp(r.logwt - r.logz[-1])
    rows.append((f"dynesty nlive={s.nlive}", float(r.logz[-1]), float(r.logzerr[-1]),
                 float(np.sum(wts * (r.samples[:, 0] < 0))), -1, _cpu() - c0,
                 time.perf_counter() - t0))
    print(f"\ntwo-mode target (6-D, weights 0.3 / 0.7, 30 widths apart): exact log Z "
          f"{m.log_evidence:.3f}, weight of a0 < 0 {m.weight_negative:.3f}; load average "
          f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    hdr = (f"{'method':30s} {'log Z':>9s} {'err':>6s} {'|dZ|':>6s} {'w(a0<0)':>8s} "
           f"{'trips/run':>9s} {'CPU s':>7s} {'wall s':>7s} {'|dZ|^2 CPU':>10s}")
    print(hdr + "\n" + "-" * len(hdr))
    for name, z, e, w, tr, cpu, wall in rows:
        dz = abs(z - m.log_evidence)
        print(f"{name:30s} {z:9.3f} {e:6.3f} {dz:6.3f} {w:8.3f} {tr:9d} {cpu:7.1f} "
              f"{wall:7.1f} {max(dz, e) ** 2 * cpu:10.3f}")
    print("(last column: squared error x CPU time, lower is better; error = max(|dZ|, err))")


def references(quick: bool):
    """Round trips and ESS per CPU-second on the main job's posterior, by reference."""
    from pathlib import Path

    import arviz as az

    from bayesfit.inference.remc import with_noise_fixed
    from bayesfit.io import load_model

    root = Path(__file__).resolve().parents[1]
    spec = load_model(root / "models" / "kcu4p3o12.toml")
    base = bayesfit.Problem(spec.parameters, spec.read_datasets(), units=spec.units)
    noise = {d.noise_name: 1e-4 if d.name == "chi" else 0.02 for d in base.datasets
             if d.noise_name in base.free}
    problem = with_noise_fixed(base, noise)
    draws, warmup = (100, 150) if quick else (300, 400)
    rows = []
    for ref in ("prior", "gaussian", "stabilized"):
        method = bayesfit.REMC(reference=ref, leapfrog_steps=4, mass="dense",
                               replicas=20 if ref == "prior" else None)
        res, cpu, wall = _fit_timed(problem, method, chains=4, draws=draws, warmup=warmup,
                                    seed=2020)
        lad = res.tree["ladder"]
        ess = float(np.min([az.ess(res.posterior[k].values) for k in
                            ("J1", "J2", "J3", "J4", "g")]))
        trips = lad["round_trips"].values
        rows.append((ref, lad.sizes["temperature"], float(res.tree.attrs["barrier"]),
                     float(trips.mean()), int(trips.sum()) / cpu, ess / cpu,
                     res.log_evidence, res.log_evidence_err, cpu, wall))
        print(rows[-1], flush=True)
    print(f"\nmain job posterior (noise fixed at the generating levels), 4 runs x {draws} "
          f"(warm-up {warmup}); load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    hdr = (f"{'reference':12s} {'slots':>5s} {'Lambda':>7s} {'trips/run':>9s} "
           f"{'trips/CPUs':>10s} {'ESS/CPUs':>8s} {'log Z':>9s} {'err':>6s} {'CPU s':>7s} "
           f"{'wall s':>7s}")
    print(hdr + "\n" + "-" * len(hdr))
    for r in rows:
        print(f"{r[0]:12s} {r[1]:5d} {r[2]:7.2f} {r[3]:9.1f} {r[4]:10.3f} {r[5]:8.3f} "
              f"{r[6]:9.2f} {r[7]:6.2f} {r[8]:7.1f} {r[9]:7.1f}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="small settings (smoke test)")
    ap.add_argument("--two-modes", action="store_true",
                    help="evidence on the two-mode target: references vs dynesty")
    ap.add_argument("--references", action="store_true",
                    help="round trips and ESS per CPU-second on the main job's posterior")
    args = ap.parse_args()
    q = args.quick
    if args.two_modes or args.references:
        if args.two_modes:
            two_modes(q)
        if args.references:
            references(q)
        return
    x, y = data()
    K, warmup = (12, 200) if q else (16, 500)
    # two accuracy levels, about 0.1 and 0.05 nats: (label, runs, draws, dynesty nlive)
    levels = [("~0.1", 2, 300, 100), ("~0.05", 4, 300, 400)] if q else \
        [("~0.1", 8, 1000, 2000), ("~0.05", 8, 4000, 8000)]
    rows, pairs = [], []

    def add(name, z, e, t, w=float("nan")):
        rows.append((name, z, e, t, w))
        print(rows[-1], flush=True)

    for label, chains, draws, nlive in levels:
        res, cold, warm = run_bayesfit(x, y, "hmc", chains, draws, warmup, K, 1)
        add(f"bayesfit REMC (HMC) {chains} runs x {draws}", res.log_evidence,
            res.log_evidence_err, cold, warm)
        i_b = len(rows) - 1
        zd, ed, td = run_dynesty(x, y, nlive)
        add(f"dynesty (nlive={nlive})", zd, ed, td)
        pairs.append((label, i_b, len(rows) - 1))
        if label == "~0.1":
            post = np.stack([res.draws(k) for k in NAMES], axis=1)
            z_ref, e_ref = importance_reference(x, y, post)
            res_rwm, cold_r, warm_r = run_bayesfit(x, y, "rwm", chains, draws, warmup, K, 4)
            add(f"bayesfit REMC (RWM x4) {chains} runs x {draws}", res_rwm.log_evidence,
                res_rwm.log_evidence_err, cold_r, warm_r)
            # the NumPy loop on bayesfit's adapted ladder, the same runs, steps and moves
            betas = res_rwm.tree["ladder"]["beta"].values
            zn, en, tn = run_numpy_loop(x, y, betas, chains, draws, warmup, 4)
            add(f"NumPy tempering loop (RWM x4) {chains} runs x {draws}", zn, en, tn)
            pairs.append(("same algorithm", len(rows) - 2, len(rows) - 1))

    print(f"\nlog evidence of a 5-parameter peak model (n = {x.size}, replicas = {K}, warm-up "
          f"{warmup}); |dZ| against importance sampling (t proposal, 2e5 draws): "
          f"{z_ref:.3f} +- {e_ref:.3f}; load average {os.getloadavg()[0]:.1f} on "
          f"{os.cpu_count()} CPUs")
    hdr = f"{'method':44s} {'log Z':>8s} {'err':>6s} {'|dZ|':>6s} {'wall s':>7s} " \
          f"{'warm s':>7s} {'t(0.1) s':>9s}"
    print(hdr)
    print("-" * len(hdr))
    for name, z, e, t, w in rows:
        print(f"{name:44s} {z:8.3f} {e:6.3f} {abs(z - z_ref):6.3f} {t:7.1f} {w:7.1f} "
              f"{t * (e / TARGET) ** 2:9.2f}")
    print()
    for label, i, j in pairs:
        (ni, _, ei, ti, _), (nj, _, ej, tj, _) = rows[i], rows[j]
        print(f"{label:>14s}: {nj} takes {tj / ti:5.1f}x the wall time of {ni} "
              f"(errors {ej:.3f} vs {ei:.3f}; at equal error {tj * ej**2 / (ti * ei**2):.1f}x)")


if __name__ == "__main__":
    main()
