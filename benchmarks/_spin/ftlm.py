"""Finite-temperature Lanczos (bayesfit.spin.FtlmCluster), spin-1/2 Heisenberg rings beyond
ED: value + gradient of a chi(T) likelihood (100 temperatures, 1-300 K, model error
added to the noise), accuracy against the exact multiplet route where it is possible
(N <= 14), and the bulk Heisenberg-chain maximum (Eggert, Affleck, Takahashi PRL 73, 332
(1994); Johnston et al. PRB 61, 9558 (2000): chi J / (N g^2 mu_B^2) = 0.146926 at
T / J = 0.640851) on a ring of the largest size. Run:
``.venv/bin/python benchmarks/spin_kernel.py --ftlm [--ftlm-sizes 12 14 16 18 20]``.
"""

from __future__ import annotations

import argparse
import os
import time

import jax
import jax.numpy as jnp
import numpy as np

from bayesfit.spin import Cluster

from .common import C_CGS, print_head, print_row

CHAIN_MAX, CHAIN_T_MAX = 0.146926, 0.640851


def _ftlm_case(n: int, opts, j_k: float = 100.0, max_memory_gib: float = 3.0):
    import resource

    from bayesfit.spin import FTLM, FtlmCluster  # noqa: F401

    bonds = {"J": [(i, (i + 1) % n) for i in range(n)]}
    t = jnp.asarray(np.geomspace(1.0, 300.0, 100))
    p = {"J": j_k, "g": 2.0}
    t0 = time.perf_counter()
    c = FtlmCluster([0.5] * n, bonds, convention="+J", options=opts,
                    max_memory_gib=max_memory_gib)
    build = time.perf_counter() - t0
    chi, sd = (np.asarray(a) for a in c.susceptibility(p, t, sd=True))
    y = chi * (1 + 0.01 * np.random.default_rng(0).standard_normal(t.shape))
    sigma = 0.01 * np.abs(y)

    def loglike(q):
        mu, s = c.susceptibility(q, t, sd=True)
        var = sigma**2 + s**2
        return jnp.sum(-0.5 * (y - mu) ** 2 / var - 0.5 * jnp.log(var))

    # compilation alone (lower + compile of both programs), not their first calls
    t0 = time.perf_counter()
    vg = jax.jit(jax.value_and_grad(loglike)).lower(p).compile()
    val = jax.jit(loglike).lower(p).compile()
    compile_s = time.perf_counter() - t0
    t0 = time.perf_counter()  # first calls of compiled programs: no warm-up needed
    jax.block_until_ready(val(p))
    value_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    _, grad = jax.block_until_ready(vg(p))
    grad_s = time.perf_counter() - t0
    out = {
        "n": n,
        "dim": max(s[1] for s in c.sectors),
        "build": build,
        "compile": compile_s,
        "value": value_s,
        "grad": grad_s,
        "sd_med": float(np.median(sd / chi)),
        "sd_low": float(np.max((sd / chi)[np.asarray(t) <= 10.0])),
        "rss_gib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2,
        "guard_gib": c.memory_gib,
        "batch": c.batch,
        "finite": bool(np.all(np.isfinite([grad["J"], grad["g"]]))),
    }
    if n <= 14:
        ed = np.asarray(Cluster([0.5] * n, bonds, convention="+J").susceptibility(p, t))
        err = np.abs(chi - ed) / ed
        out["err_med"] = float(np.median(err))
        out["err_low"] = float(np.max(err[np.asarray(t) <= 10.0]))
        out["err_max"] = float(np.max(err))
        z = np.abs(chi - ed) / (sd + 1e-6 * ed)  # 1e-6: convergence of the exact part
        out["z_max"] = float(np.max(z))
        out["t_err_max"] = float(np.asarray(t)[np.argmax(err)])
    return out, c


def _chain_check(c, j_k: float = 100.0):
    """Height and position of the chi maximum of the ring vs the infinite chain."""
    tj = np.linspace(0.5, 0.8, 31)
    chi, sd = c.susceptibility({"J": j_k, "g": 2.0}, tj * j_k, sd=True)
    red = np.asarray(chi) * j_k / (C_CGS * 4.0 * c.spec.n_sites)  # chi J / (N g^2 mu_B^2)
    red_sd = np.asarray(sd) * j_k / (C_CGS * 4.0 * c.spec.n_sites)
    k = int(np.argmax(red))
    a, b, _ = np.polyfit(tj[k - 3 : k + 4], red[k - 3 : k + 4], 2)
    t_max = -b / (2 * a)
    return float(np.max(red)), float(red_sd[k]), float(t_max)


def ftlm_main(argv=None):
    parser = argparse.ArgumentParser(description="FTLM speed/accuracy table")
    parser.add_argument("--ftlm", action="store_true")
    parser.add_argument("--ftlm-sizes", type=int, nargs="+", default=[12, 14, 16, 18, 20])
    parser.add_argument("--vectors", type=int, default=20)
    parser.add_argument("--steps", type=int, default=80)
    parser.add_argument("--exact-states", type=int, default=8)
    parser.add_argument("--max-memory-gib", type=float, default=3.0,
                        help="the FTLM cluster's memory guard (raise it for N >= 22)")
    args = parser.parse_args(argv)
    from bayesfit.spin import FTLM

    opts = FTLM(
        vectors=args.vectors, steps=args.steps, exact_states=args.exact_states, exact_steps=80
    )
    print(f"FTLM {opts}, Heisenberg ring J = 100 K, chi(T) likelihood at 100 T in 1-300 K, CPU")
    print(f"jax {jax.__version__}, devices {jax.devices()}, threads: OPENBLAS "
          f"{os.environ.get('OPENBLAS_NUM_THREADS', 'default')}")
    head = ("N", "largest sector", "build", "compile", "value", "value+grad", "sd median",
            "sd max T<=10K", "err median", "err max T<=10K", "err max", "max |err|/sd",
            "peak RSS", "guard (batch)")
    print_head(head)
    last = None
    for n in args.ftlm_sizes:
        r, last = _ftlm_case(n, opts, max_memory_gib=args.max_memory_gib)
        pct = lambda k, r=r: f"{100 * r[k]:.3f} %" if k in r else "no ED"  # noqa: E731
        cells = [str(r["n"]), str(r["dim"]), f"{r['build']:.1f} s", f"{r['compile']:.0f} s",
                 f"{r['value']:.2f} s", f"{r['grad']:.2f} s", pct("sd_med"), pct("sd_low"),
                 pct("err_med"), pct("err_low"),
                 pct("err_max") + (f" at {r['t_err_max']:.0f} K" if "err_max" in r else ""),
                 f"{r['z_max']:.1f}" if "z_max" in r else "-", f"{r['rss_gib']:.2f} GiB",
                 f"{r['guard_gib']:.2f} GiB ({r['batch']})"]
        print_row(cells)
        assert r["finite"], "non-finite FTLM gradient"
    if last is not None:
        height, height_sd, t_max = _chain_check(last)
        print(f"\nHeisenberg ring N = {last.spec.n_sites} vs infinite chain: chi_max J/(N g^2 "
              f"mu_B^2) = {height:.5f} +- {height_sd:.5f} (bulk {CHAIN_MAX}), T_max/J = "
              f"{t_max:.4f} (bulk {CHAIN_T_MAX})")
