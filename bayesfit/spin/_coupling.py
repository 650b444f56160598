"""Highest-weight states by successive angular-momentum coupling (genealogical basis).

Sites are coupled one at a time: a state of total spin ``S`` and projection ``M`` of the
first ``k+1`` sites is

    |a S' ; S M> = sum_m <S' M-m ; s m | S M> |a S' M-m> (x) |s m>,

with ``<..|..>`` the Clebsch-Gordan coefficients (Racah's formula, Condon-Shortley phases)
and ``|a S' M'>`` the states of the first ``k`` sites. Because every intermediate multiplet
carries standard phases, the result is an orthonormal basis of every (S, M) subspace, and
the ``M = S`` members span exactly ker(S^+) in block ``M = S``. Only the projections still
reachable from the final ``M = S >= 0`` are kept (``M >= -remaining spin``), and at the last
site only ``M = S``: 14 spins 1/2 need about 50 MB and a few seconds, where a dense null
space (QR of the 3432 x 3003 block of S^+) takes tens of seconds.

Reference: Racah, Phys. Rev. 62, 438 (1942); the genealogical (Yamanouchi) basis in
Pauncz, *Spin Eigenfunctions* (Plenum 1979), ch. 2.
"""

from __future__ import annotations

from fractions import Fraction
from functools import cache
from math import factorial, sqrt

import numpy as np


@cache
def clebsch_gordan(tj1: int, tm1: int, tj2: int, tm2: int, tj: int, tm: int) -> float:
    """<j1 m1; j2 m2 | j m> with every argument given as twice its value (Racah's formula)."""
    if tm1 + tm2 != tm or not abs(tj1 - tj2) <= tj <= tj1 + tj2 or (tj1 + tj2 + tj) % 2:
        return 0.0
    if abs(tm1) > tj1 or abs(tm2) > tj2 or abs(tm) > tj:
        return 0.0
    a, b, c = (tj1 + tj2 - tj) // 2, (tj1 - tj2 + tj) // 2, (-tj1 + tj2 + tj) // 2
    f = factorial
    pre = Fraction((tj + 1) * f(a) * f(b) * f(c), f((tj1 + tj2 + tj) // 2 + 1))
    pre *= (
        f((tj + tm) // 2)
        * f((tj - tm) // 2)
        * f((tj1 - tm1) // 2)
        * f((tj1 + tm1) // 2)
        * f((tj2 - tm2) // 2)
        * f((tj2 + tm2) // 2)
    )
    total = Fraction(0)
    for k in range(0, a + 1):
        args = (
            k,
            a - k,
            (tj1 - tm1) // 2 - k,
            (tj2 + tm2) // 2 - k,
            (tj - tj2 + tm1) // 2 + k,
            (tj - tj1 - tm2) // 2 + k,
        )
        if min(args) < 0:
            continue
        den = 1
        for x in args:
            den *= f(x)
        total += Fraction((-1) ** k, den)
    return float(total) * sqrt(pre)


def highest_weight_states(
    two_s: tuple[int, ...],
) -> tuple[dict[int, np.ndarray], dict[int, np.ndarray]]:
    """For every total ``2S``: the sorted product indices of block ``M = S`` and the
    orthonormal columns (one per multiplet) spanning ker(S^+) there.

    Product indices follow :class:`._hilbert.ProductBasis` (site 0 most significant).
    """
    ts0 = two_s[0]
    idx = {tm: np.array([(ts0 - tm) // 2]) for tm in range(-ts0, ts0 + 1, 2)}
    vec = {(ts0, tm): np.ones((1, 1)) for tm in range(-ts0, ts0 + 1, 2)}
    remaining = sum(two_s[1:])
    for k, ts in enumerate(two_s[1:], start=1):
        remaining -= ts
        last = k == len(two_s) - 1
        dim = ts + 1
        new_idx: dict[int, np.ndarray] = {}
        positions: dict[tuple[int, int], np.ndarray] = {}
        for tm_new in {tm + m for tm in idx for m in range(-ts, ts + 1, 2)}:
            if tm_new < -remaining:
                continue
            parts = {
                m: idx[tm_new - m] * dim + (ts - m) // 2
                for m in range(-ts, ts + 1, 2)
                if tm_new - m in idx
            }
            new_idx[tm_new] = np.sort(np.concatenate(list(parts.values())))
            for m, p in parts.items():
                positions[(tm_new, m)] = np.searchsorted(new_idx[tm_new], p)
        parents = sorted({tS for tS, _ in vec})
        new_vec = {}
        for tS in range(max(parents) + ts, -1, -2):
            for tm_new in [tS] if last else range(tS, -tS - 1, -2):
                if tm_new not in new_idx:
                    continue
                cols = []
                for tS_p in parents:
                    if not abs(tS_p - ts) <= tS <= tS_p + ts:
                        continue
                    n_p = next(v.shape[1] for (a, _), v in vec.items() if a == tS_p)
                    block = np.zeros((new_idx[tm_new].size, n_p))
                    for m in range(-ts, ts + 1, 2):
                        key = (tS_p, tm_new - m)
                        cg = clebsch_gordan(tS_p, tm_new - m, ts, m, tS, tm_new)
                        if key in vec and cg != 0.0:
                            block[positions[(tm_new, m)]] += cg * vec[key]
                    cols.append(block)
                if cols:
                    new_vec[(tS, tm_new)] = np.hstack(cols)
        idx, vec = new_idx, new_vec
    top = sorted(tS for tS, tm in vec if tm == tS)
    return {tS: idx[tS] for tS in top}, {tS: vec[(tS, tS)] for tS in top}
