"""The host-side plan of an FTLM run: which S^z sectors are dense, which are sampled (and
in which buckets), and the memory the sampled ones need.

A sector is a tuple ``(n_up, dim, hi_offsets, dense)``: ``n_up`` up spins (M = n_up -
n/2 >= 0), ``dim`` states, Lin's offsets of the high half, and ``dense`` the per-class
matrices (NumPy, shape (n_classes, dim, dim)) or ``None`` for an FTLM sector.
"""

from __future__ import annotations

import numpy as np

from ._cluster import ClusterError
from ._lanczos import Tables

_GIB = 1024.0**3
#: The JAX runtime, this package and the compiled FTLM programs (measured peak of a
#: value-and-gradient process at 16 spins, where the vectors are small: 1.4 GiB).
RUNTIME_GIB = 1.2
#: Measured peak / counted arrays (flip tables, Krylov basis, vectors, tangents) of a
#: value-and-gradient call: XLA's temporaries and the reverse pass's residuals. Calibrated
#: on the peaks at 20 and 22 spins (2.7 and 6.2 GiB; the count alone said 0.7 and 2.9).
WORKSPACE_FACTOR = 2.0


def dense_matrices(tables: Tables, n_up, off, dim, bonds, bond_class, n_classes):
    """Dense per-class sector matrices (host, NumPy), shape (n_classes, dim, dim): the
    ``S_i . S_j`` sum of each bond class in the sector of ``n_up`` up spins."""
    t, k = tables, np.arange(dim)
    h = np.searchsorted(off, k, side="right") - 1  # NumPy twin of sector_states
    states = (h << t.n_lo) | t.lo_sorted[t.pop_start[n_up - t.hi_pop[h]] + k - off[h]]
    mats = np.zeros((n_classes, dim, dim))
    pos = {int(s): k for k, s in enumerate(states)}
    for (i, j), c in zip(bonds, bond_class, strict=True):
        for k, s in enumerate(states):
            s = int(s)
            if ((s >> i) ^ (s >> j)) & 1:
                mats[c, k, k] -= 0.25
                mats[c, pos[s ^ ((1 << i) | (1 << j))], k] += 0.5
            else:
                mats[c, k, k] += 0.25
    return mats


def memory(sectors, options, n_sites, n_bonds, n_classes, max_gib, where):
    """``(estimated GiB, vectors per batch)`` of a process that builds the cluster and runs
    a value-and-gradient call: the runtime and compiled programs plus the counted arrays
    of the largest sampled sector times ``WORKSPACE_FACTOR``. Refuses a run that cannot fit
    in ``max_gib`` even one vector at a time (``where``: message prefix)."""
    opt = options
    big = max([s[1] for s in sectors if s[3] is None], default=0)
    tangents = 1 + n_classes
    fixed = RUNTIME_GIB * _GIB + WORKSPACE_FACTOR * big * (
        5 * n_bonds + 8 * (opt.exact_steps + 4) * tangents)
    per_vector = WORKSPACE_FACTOR * big * 8 * 8 * tangents
    budget = max_gib * _GIB - fixed
    if big and budget < per_vector:
        need = (fixed + per_vector) / _GIB
        raise ClusterError(
            f"{where}the {n_sites}-site FTLM run needs an estimated "
            f"{need:.1f} GiB (largest sector {big} states, exact_steps = "
            f"{opt.exact_steps}, {n_classes} coupling(s)), more than max_memory_gib = "
            f"{max_gib:g}. Lower exact_steps, or raise max_memory_gib if the memory is "
            "there."
        )
    if not big:
        return RUNTIME_GIB, opt.vectors
    batch = opt.batch or int(max(1, min(opt.vectors, budget // per_vector)))
    return (fixed + batch * per_vector) / _GIB, batch


def buckets(sectors):
    """Group the FTLM sectors (no dense matrix) into buckets of sizes within a factor 2;
    each: (sector indices, padded size, n_up, dims, hi offsets stacked)."""
    order = sorted((i for i, s in enumerate(sectors) if s[3] is None), key=lambda i: -sectors[i][1])
    groups: list[list[int]] = []
    for i in order:
        if groups and 2 * sectors[i][1] >= sectors[groups[-1][0]][1]:
            groups[-1].append(i)
        else:
            groups.append([i])
    return [
        (
            tuple(g),
            sectors[g[0]][1],
            np.array([sectors[i][0] for i in g], np.int32),
            np.array([sectors[i][1] for i in g]),
            np.stack([sectors[i][2] for i in g]),
        )
        for g in groups
    ]
