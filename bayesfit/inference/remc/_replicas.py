"""How many replicas: about ``2 Lambda + 2`` per leg, from a tuning pilot.

Syed et al. (2021, JRSS B 84, 321): with the barrier ``Lambda`` spread evenly over ``K``
rungs, the round-trip rate of DEO is ``1 / (2 + 2 sum_k r_k / (1 - r_k))``, ``r_k`` the
rejection rate of pair ``k``; it approaches ``1 / (2 + 2 Lambda)`` once ``K`` is a few times
``Lambda``, and ``K ~ 2 Lambda + 2`` gets within ~25 % of that at the least cost. The pilot
is one short stage (the warm-up, then :data:`PILOT_DRAWS` steps) with generous rungs; the
barrier of each leg is the sum of its measured pair rejection rates (Rao-Blackwellised),
the median over runs.
"""

from __future__ import annotations

import math

import numpy as np

from ._driver import LadderRun

#: pilot sizes: a power leg from the prior, one attached at ``b = low > 0``, a reference leg
PILOT = {"prior": 16, "attached": 8, "reference": 6}
PILOT_DRAWS = 100
PILOT_WARMUP = 200  # the pilot's warm-up: at most the fit's, at least half of it


def pilot_warmup(warmup: int) -> int:
    """Warm-up steps of the pilot: enough for the ladder's doubling rounds to settle
    (``min(warmup, max(PILOT_WARMUP, warmup // 2))``); its barrier sets the replicas and
    its posterior draws only seed the first reference, which every stage refits."""
    return int(min(warmup, max(PILOT_WARMUP, warmup // 2)))
MIN_REPLICAS, MAX_REPLICAS = 3, 40


def replicas_for(barrier: float) -> int:
    """``ceil(2 Lambda + 2)`` within ``[MIN_REPLICAS, MAX_REPLICAS]``."""
    if not math.isfinite(barrier):
        return MAX_REPLICAS
    return int(min(MAX_REPLICAS, max(MIN_REPLICAS, math.ceil(2.0 * barrier + 2.0))))


def choose_replicas(pilot: LadderRun) -> dict[str, int]:
    """Replicas of every leg of the pilot's layout (``{"power": K1, "reference": K2}``)."""
    out = {}
    for name in ("power", "reference"):
        lam = pilot.barrier(name)
        if lam is not None:
            out[name] = replicas_for(float(np.median(lam)))
    return out


def trip_rate_bound(swap) -> float:
    """``1 / (2 + 2 sum r / (1 - r))`` (round trips per step and run) for the pair swap
    acceptance rates ``swap`` ``(K-1,)`` of one ladder (Syed et al. 2021, Theorem 3)."""
    r = 1.0 - np.asarray(swap, dtype=float)
    return float(1.0 / (2.0 + 2.0 * np.sum(r / np.maximum(1.0 - r, 1e-12))))
