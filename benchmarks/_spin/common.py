"""Settings shared by every spin-kernel table: the likelihood's temperatures and fields,
the ring bonds, the reference parameters, and the timers and the time format."""

from __future__ import annotations

import time

import numpy as np

MU_B_K, C_CGS = 0.671713815, 0.375148095
T_CHI = np.geomspace(2.0, 300.0, 200)
T_M = np.array([2.0, 4.2, 10.0])
B_M = np.linspace(0.5, 60.0, 100)
P0 = {"J1": 30.0, "J2": 8.0, "g": 2.05}
BUDGET_S = 60.0


def ring_bonds(n):
    j1 = sorted({tuple(sorted((i, (i + 1) % n))) for i in range(n)})
    j2 = sorted({tuple(sorted((i, (i + 2) % n))) for i in range(n)} - set(j1))
    return {"J1": j1, "J2": j2} if j2 else {"J1": j1}


def timed(fn, repeat=3):
    best = np.inf
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def cpu_timed(fn, repeat=3):
    """Best CPU time (all threads of this process) of ``repeat`` calls: on a shared,
    oversubscribed machine wall time measures the neighbours, CPU time the work."""
    best = np.inf
    for _ in range(repeat):
        t0 = time.process_time()
        fn()
        best = min(best, time.process_time() - t0)
    return best


def fmt(row, key):
    if key not in row:
        return "n/a"
    v = row[key]
    s = f"{v * 1e3:.1f} ms" if v < 1 else f"{v:.2f} s"
    return ("~" + s) if row.get(key.replace("_s", "_est")) else s
