"""Spin-cluster kernel: one joint log-likelihood *and its gradient*, bayesfit vs baselines.

The likelihood: chi(T) at 200 temperatures (zero field) plus M(B) at 3 temperatures x 100
fields, Gaussian with known noise, for a J1-J2 ring (+J, parameters J1, J2, g) of n spins
1/2, and one mixed-spin ring (S = 1/2, 1 alternating). Compared in the same run:

* ``scipy dense``: what a user writes first: ``scipy.linalg.eigh`` of the full 2^n matrix
  at zero field and at every field, thermal averages from the eigenvectors, forward-
  difference gradient (n_params + 1 evaluations);
* ``scipy blocked``: a careful user: ``eigvalsh`` of every S^z block once, Zeeman as a
  shift, forward differences;
* ``quspin``: QuSpin's ``spin_basis_general`` per S^z sector, one ``hamiltonian`` per bond
  class built once, summed with the parameter values and ``.eigvalsh()``-ed per call,
  Zeeman as a shift, forward differences (spin-1/2 clusters only);
* ``bayesfit``: ``jax.jit(jax.value_and_grad(loglike))``, after compilation;
* ``bayesfit vmap``: the batched path, ``jit(vmap(value_and_grad))`` over 32 parameter
  sets, time per set (the GPU-ready path; CPU timing here).

Where a baseline would take more than ~60 s it is extrapolated from the timing of one
diagonalisation and the number it needs (marked ``~``). Run:
``.venv/bin/python benchmarks/spin_kernel.py [--sizes 4 6 8 10 12 14] [--quick]``.

A second table (``--floor [CASE ...]``; printed after the first in a full run) gives each
route's time as a ratio to its LAPACK floor measured in the same run: the LAPACK ``syevd``
solves of the route's own matrices that the likelihood needs (multiplet: one per total-spin
sector, eigenvalues only for a value; blocks: every S^z block per distinct field; powder:
the full space per distinct field and direction), for rings of 8-16 spins 1/2 and the
anisotropic cases, each in its own process, with its peak memory beside the estimate of
``bayesfit.spin._memory`` (the guard).

A third (``--ftlm``): finite-temperature Lanczos on spin-1/2 rings beyond ED
(``benchmarks/_spin/ftlm.py``). The parts live in ``benchmarks/_spin/``; this file is the
command line.
"""

from __future__ import annotations

import argparse
import os

import jax
from threadpoolctl import threadpool_limits

import bayesfit  # noqa: F401  (float64)

from _spin.common import B_M, T_CHI, T_M, fmt, print_head, print_row, ring_bonds
from _spin.ed_table import bench_case
from _spin.floor import floor_case, floor_cases, floor_table
from _spin.ftlm import ftlm_main


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", type=int, nargs="*", default=[4, 6, 8, 10, 12, 14])
    ap.add_argument("--quick", action="store_true", help="sizes 4 and 8 only")
    ap.add_argument(
        "--blas-threads",
        type=int,
        default=1,
        help="OpenBLAS threads for every method (default 1: on a busy machine "
        "each hand-off of a small eigh to the pool can stall ~20 ms)",
    )
    ap.add_argument(
        "--floor",
        nargs="*",
        default=None,
        metavar="CASE",
        help="only the LAPACK-floor table (all cases, or the named ones; "
        f"cases: {', '.join(floor_cases())})",
    )
    ap.add_argument("--floor-case", help=argparse.SUPPRESS)
    args = ap.parse_args()
    threadpool_limits(limits=args.blas_threads, user_api="blas")
    if args.floor_case:
        import json

        print(json.dumps(floor_case(args.floor_case)))
        return
    if args.floor is not None:
        floor_table(args.floor or list(floor_cases()), args.blas_threads, __file__)
        return
    sizes = [4, 8] if args.quick else args.sizes
    cases = [(f"{n} x S=1/2 ring", [0.5] * n, ring_bonds(n), True) for n in sizes]
    cases.append(("6-site ring S=1/2,1", [0.5, 1] * 3, ring_bonds(6), False))
    print(
        f"# spin_kernel benchmark: value + gradient of a joint log-likelihood "
        f"(chi x {T_CHI.size} T, M x {T_M.size} T x {B_M.size} B)"
    )
    print(
        f"# jax {jax.__version__}, {jax.devices()[0].platform}, {os.cpu_count()} CPU cores, "
        f"BLAS threads {args.blas_threads}, load average {os.getloadavg()[0]:.1f}; "
        "'~' = extrapolated from one diagonalisation"
    )
    head = (
        "case",
        "dim",
        "build",
        "compile",
        "bayesfit",
        "vmap/set",
        "scipy dense",
        "scipy blocked",
        "quspin",
        "x dense",
        "x blocked",
        "x quspin",
    )
    print_head(head)
    for label, spins, bonds, qs in cases:
        r = bench_case(label, spins, bonds, quspin=qs)
        ratio = [
            f"{r[k] / r['bayesfit_s']:.0f}x" if k in r else "n/a"
            for k in ("dense_s", "blocked_s", "quspin_s")
        ]
        cells = [
            r["case"],
            str(r["dim"]),
            f"{r['build_s']:.2f} s",
            f"{r['compile_s']:.1f} s",
            fmt(r, "bayesfit_s"),
            fmt(r, "vmap_s"),
            fmt(r, "dense_s"),
            fmt(r, "blocked_s"),
            fmt(r, "quspin_s"),
            *ratio,
        ]
        print_row(cells)
        if "check" in r:
            assert r["check"] < 1e-6, f"bayesfit and scipy dense disagree: {r['check']:.2e}"
    if not args.quick:
        floor_table(list(floor_cases()), args.blas_threads, __file__)


if __name__ == "__main__":
    import sys

    if "--ftlm" in sys.argv:
        with threadpool_limits(limits=1, user_api="blas"):
            ftlm_main(sys.argv[1:])
    else:
        main()
