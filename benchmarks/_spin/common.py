"""Settings shared by every spin-kernel table: the likelihood's temperatures and fields,
the ring bonds, the reference parameters, the timers, the time format and the Markdown
table rows."""

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


def timed(fn, repeat=3, clock=time.perf_counter):
    """Best of ``repeat`` calls of ``fn`` (s) on ``clock`` (default: wall time)."""
    best = np.inf
    for _ in range(repeat):
        t0 = clock()
        fn()
        best = min(best, clock() - t0)
    return best


def cpu_timed(fn, repeat=3):
    """Best CPU time (all threads of this process) of ``repeat`` calls: on a shared,
    oversubscribed machine wall time measures the neighbours, CPU time the work."""
    return timed(fn, repeat, clock=time.process_time)


def fmt(row, key):
    if key not in row:
        return "n/a"
    v = row[key]
    s = f"{v * 1e3:.1f} ms" if v < 1 else f"{v:.2f} s"
    return ("~" + s) if row.get(key.replace("_s", "_est")) else s


def print_head(head):
    """The Markdown header and rule of a table with columns ``head``."""
    print("| " + " | ".join(head) + " |")
    print("|" + "---|" * len(head))


def print_row(cells):
    """One Markdown table row, flushed (rows come one case at a time)."""
    print("| " + " | ".join(cells) + " |", flush=True)
