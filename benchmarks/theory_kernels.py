"""Benchmark of the learning-theory kernels against what a user would write with SciPy.

1. ODE kernel: value and gradient of one epsilon_g(t) curve saved at 200 times.
   bayesfit: diffrax + reverse-mode autodiff (jit).  Baseline: SciPy solve_ivp (DOP853)
   of the same ODE, gradient by central finite differences.
2. Use case 1 (three SGD learning curves at N = 1000, 9 parameters): bayesfit NUTS versus
   emcee with a solve_ivp likelihood, as effective samples per second (min bulk ESS over
   rho, eta, tau divided by wall time, compilation included for bayesfit).

Run: .venv/bin/python benchmarks/theory_kernels.py [--quick]
Prints a Markdown table. Timings depend on the machine and its load.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import arviz as az
import emcee
import jax
import jax.numpy as jnp
import numpy as np
from scipy.integrate import solve_ivp
from scipy.stats import lognorm, norm

from bayesfit.io._csv import read_table
from bayesfit.studies import theory as inf
from bayesfit.theory import examples, vae

QUICK = "--quick" in sys.argv


# ---------------------------------------------------------------- the SciPy baseline
def rhs(t, y, rho, eta, beta, lam, tau):
    """Scalar ODE (M = M* = 1) as a user would type it from the paper."""
    m, d, Q, E, R, D = y
    P, C, B, S, K = (
        rho + eta,
        rho * d * d + eta * E,
        rho * m * d + eta * R,
        rho * m * m + eta * Q,
        Q + beta,
    )
    return [
        tau * (P * d - (C + D + lam) * m),
        tau * (P * m - K * P * d - lam * d),
        2 * tau * (B - (C + D + lam) * Q) + tau**2 * eta * C,
        -2 * tau * (K * C - B + lam * E) + tau**2 * eta * (S - 2 * K * B + K * K * C),
        tau * (C * (1 - R) + S - K * B - (D + 2 * lam) * R) - tau**2 * eta * (K * C - B),
        -(tau / 2) * (Q + beta * (1 - 1 / D)),
    ]


def scipy_curve(ts, rho, eta, tau, beta, m0):
    y0 = [m0, m0, 1.0, 1.0, 0.0, 1.0]
    sol = solve_ivp(
        rhs,
        (0, ts[-1]),
        y0,
        t_eval=ts,
        method="DOP853",
        rtol=1e-7,
        atol=1e-9,
        args=(rho, eta, beta, 0.0, tau),
    )
    if not sol.success or sol.y.shape[1] != len(ts):
        return np.full(len(ts), np.nan)
    return rho - 2 * np.sqrt(rho) * np.abs(sol.y[0]) + sol.y[2]


# ---------------------------------------------------------------- 1. kernel timings
def bench_kernel():
    ts = jnp.linspace(1.0, 300.0, 200)
    target = 0.5 * jnp.ones(200)

    def loss(p):
        init = vae.initial_overlaps(jnp.exp(p["log_m0"]))
        tr = vae.solve_overlaps(
            ts, init, rho=p["rho"], eta=p["eta"], tau=p["tau"], schedule=p["beta"]
        )
        return jnp.sum((vae.generalization_error(tr.overlaps, p["rho"]) - target) ** 2)

    p = {"rho": 1.2, "eta": 0.6, "tau": 0.1, "beta": 1.0, "log_m0": np.log(0.03)}
    f = jax.jit(jax.value_and_grad(loss))
    t0 = time.perf_counter()
    jax.block_until_ready(f(p))
    compile_s = time.perf_counter() - t0
    n = 20 if QUICK else 100
    t0 = time.perf_counter()
    for i in range(n):
        jax.block_until_ready(f({**p, "rho": 1.2 + 1e-4 * i}))
    call_ms = (time.perf_counter() - t0) / n * 1e3

    tsn = np.asarray(ts)

    def scipy_value_and_fd_grad(q):
        base = np.sum((scipy_curve(tsn, *q) - 0.5) ** 2)
        g = []
        for i in range(len(q)):
            h = np.zeros(len(q))
            h[i] = 1e-6 * max(1.0, abs(q[i]))
            g.append(
                (
                    np.sum((scipy_curve(tsn, *(q + h)) - 0.5) ** 2)
                    - np.sum((scipy_curve(tsn, *(q - h)) - 0.5) ** 2)
                )
                / (2 * h[i])
            )
        return base, np.array(g)

    q = np.array([1.2, 0.6, 0.1, 1.0, 0.03])
    m = 2 if QUICK else 5
    t0 = time.perf_counter()
    for _ in range(m):
        scipy_value_and_fd_grad(q)
    scipy_ms = (time.perf_counter() - t0) / m * 1e3
    return compile_s, call_ms, scipy_ms


# ---------------------------------------------------------------- 2. use-case-1 fits
def load_curves():
    """The three SGD runs of data/examples (python -m bayesfit.theory.examples)."""
    root = Path(__file__).resolve().parents[1] / "data" / "examples"
    out = []
    for i, beta in enumerate(examples.CURVES_BETAS):
        t = read_table(root / f"linear_vae_sgd_run{i + 1}.csv")
        out.append(inf.Curve(t.column("t"), t.column("eps_g"), beta=beta, name=f"run{i + 1}"))
    return out


def bench_nuts(curves):
    draws = 200 if QUICK else 500
    t0 = time.perf_counter()
    res = inf.fit_learning_curves(
        curves,
        tau_nominal=0.1,
        chains=2,
        draws=draws,
        warmup=draws,
        seed=0,
        progress=False,
    )
    wall = time.perf_counter() - t0
    ess = az.ess(res.tree, var_names=["rho", "eta", "tau"])
    ess_min = min(float(ess[v].values) for v in ("rho", "eta", "tau"))
    return wall, ess_min, res


def bench_emcee(curves, budget_s):
    names = [c.name for c in curves]
    N = curves[0].N

    def logp(th):
        rho, eta, tau = np.exp(th[:3])
        lm0 = th[3:6]
        sig = np.exp(th[6:9])
        lp = (
            lognorm.logpdf(rho, 1.0)
            + lognorm.logpdf(eta, 1.0)
            + lognorm.logpdf(tau, 1.0, scale=0.1)
            + np.sum(np.log([rho, eta, tau]))
            + np.sum(norm.logpdf(lm0, -0.5 * np.log(N), 2.0))
        )
        for i, c in enumerate(curves):
            y = scipy_curve(np.asarray(c.t, float), rho, eta, tau, c.beta, np.exp(lm0[i]))
            if not np.all(np.isfinite(y)):
                return -np.inf
            lp += np.sum(norm.logpdf(c.y, y, sig[i]))
        return lp

    ndim, nwalk = 9, 24
    x0 = np.r_[np.log([1.2, 0.6, 0.1]), np.full(3, -3.5), np.full(3, np.log(0.03))]
    p0 = x0 + 1e-2 * np.random.default_rng(0).standard_normal((nwalk, ndim))
    sampler = emcee.EnsembleSampler(nwalk, ndim, logp)
    t0 = time.perf_counter()
    state, steps = p0, 0
    while time.perf_counter() - t0 < budget_s:
        state = sampler.run_mcmc(state, 20, progress=False)
        steps += 20
    wall = time.perf_counter() - t0
    chain = sampler.get_chain()[steps // 2 :]  # (steps, walkers, dim), first half burn-in
    post = {n: np.exp(chain[:, :, i].T) for i, n in enumerate(["rho", "eta", "tau"])}
    ess = az.ess(az.from_dict({"posterior": post}))
    ess_min = min(float(ess[v].values) for v in post)
    del names
    return wall, ess_min, steps


def main():
    jax.config.update("jax_enable_x64", True)
    compile_s, call_ms, scipy_ms = bench_kernel()
    curves = load_curves()
    nuts_wall, nuts_ess, res = bench_nuts(curves)
    em_wall, em_ess, em_steps = bench_emcee(curves, budget_s=max(60.0, nuts_wall))
    print("| benchmark | bayesfit | baseline (SciPy / emcee) | ratio |")
    print("|---|---|---|---|")
    print(f"| ODE value+grad, 200 save times: compile | {compile_s:.1f} s | - | - |")
    print(
        f"| ODE value+grad, 200 save times: per call | {call_ms:.2f} ms | {scipy_ms:.0f} ms "
        f"(solve_ivp + finite differences) | {scipy_ms / call_ms:.0f}x |"
    )
    print(
        f"| use case 1 fit: wall time | {nuts_wall:.0f} s (NUTS, 2 chains, incl. compile) | "
        f"{em_wall:.0f} s (emcee, 24 walkers, {em_steps} steps) | - |"
    )
    print(f"| use case 1 fit: min ESS (rho, eta, tau) | {nuts_ess:.0f} | {em_ess:.0f} | - |")
    print(
        f"| use case 1 fit: ESS / s | {nuts_ess / nuts_wall:.2f} | {em_ess / em_wall:.3f} | "
        f"{(nuts_ess / nuts_wall) / max(em_ess / em_wall, 1e-9):.0f}x |"
    )
    print()
    print(res.summary().to_string())


if __name__ == "__main__":
    main()
