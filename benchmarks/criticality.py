"""Benchmark: Swendsen-Wang Ising sweeps and the finite-size-scaling posterior.

1. Ising sweeps/second on an L x L torus at n_T temperatures: bayesfit's JAX
   Swendsen-Wang (jitted, vmapped over temperatures; compile time reported apart) against
   a NumPy implementation of the same algorithm (same bond rule, the same hooking +
   pointer-jumping cluster labelling, vectorised over sites, a Python loop over
   temperatures), in the same run. Ratio = JAX sweeps/s over NumPy sweeps/s.
2. The FSS posterior for 5 sizes x 30 temperatures (synthetic data from a known scaling
   function): wall time of ``fit_fss`` with the default options (500 warm-up + 1000 draws,
   2 chains), compilation included. Goal: < 2 minutes on a 2-core CPU.

Run: ``.venv/bin/python benchmarks/criticality.py`` (``--quick``: smaller sizes).
"""

from __future__ import annotations

import argparse
import time

import numpy as np

import bayesfit  # noqa: F401
from bayesfit.criticality import fit_fss, simulate_ising, synthetic_fss


def numpy_labels(bond_right, bond_down):
    n = bond_right.size
    lx = bond_right.shape[1]
    idx = np.arange(n)
    right = (idx // lx) * lx + (idx % lx + 1) % lx
    down = (idx + lx) % n
    src = np.concatenate([idx, idx])
    dst = np.concatenate([right, down])
    active = np.concatenate([bond_right.ravel(), bond_down.ravel()])
    src, dst = src[active], dst[active]
    p = idx.copy()
    while True:
        pu, pv = p[src], p[dst]
        lo, hi = np.minimum(pu, pv), np.maximum(pu, pv)
        q = p.copy()
        np.minimum.at(q, hi, lo)
        q = q[q]
        q = q[q]
        if np.array_equal(q, p):
            return p
        p = q


def numpy_sweeps(size, temps, n_sweeps, seed=0):
    rng = np.random.default_rng(seed)
    spins = [np.where(rng.random((size, size)) < 0.5, 1, -1) for _ in temps]
    for _ in range(n_sweeps):
        for i, t in enumerate(temps):
            s = spins[i]
            p = -np.expm1(-2.0 / t)
            br = (s == np.roll(s, -1, 1)) & (rng.random(s.shape) < p)
            bd = (s == np.roll(s, -1, 0)) & (rng.random(s.shape) < p)
            lab = numpy_labels(br, bd).reshape(s.shape)
            flip = rng.random(s.size) < 0.5
            spins[i] = np.where(flip[lab], -s, s)
            _ = (-(s * np.roll(s, -1, 1) + s * np.roll(s, -1, 0)).mean(), s.mean())
    return spins


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true")
    args = ap.parse_args()
    size, n_t = (16, 8) if args.quick else (32, 30)
    temps = np.linspace(2.19, 2.35, n_t)
    n_jax, n_np = (200, 10) if args.quick else (1000, 20)

    t0 = time.perf_counter()
    simulate_ising(size, temps, n_jax, n_thermalise=0, seed=0)
    first = time.perf_counter() - t0
    t0 = time.perf_counter()
    simulate_ising(size, temps, n_jax, n_thermalise=0, seed=1)
    warm = time.perf_counter() - t0
    t0 = time.perf_counter()
    numpy_sweeps(size, temps, n_np)
    t_np = time.perf_counter() - t0
    r_jax, r_np = n_jax / warm, n_np / t_np
    print(f"Ising Swendsen-Wang, L={size}, {n_t} temperatures (one 'sweep' = all of them)")
    print(f"{'implementation':<28}{'sweeps/s':>12}{'compile s':>12}")
    print(f"{'bayesfit JAX (vmapped)':<28}{r_jax:12.2f}{first - warm:12.1f}")
    print(f"{'NumPy, same algorithm':<28}{r_np:12.2f}{'-':>12}")
    print(f"ratio JAX / NumPy: {r_jax / r_np:.1f}x")

    sizes = (8, 12, 16, 24, 32)
    table = synthetic_fss(sizes, np.linspace(0.85, 1.15, 30), seed=0)
    t0 = time.perf_counter()
    res = fit_fss(table)
    t_fss = time.perf_counter() - t0
    lo, hi = res.interval("tc")
    print(f"\nFSS posterior, {len(sizes)} sizes x 30 temperatures, 2 chains x 1000 draws: "
          f"{t_fss:.1f} s (goal < 120 s); T_c 95% [{lo:.4f}, {hi:.4f}] (true 1.0)")


if __name__ == "__main__":
    main()
