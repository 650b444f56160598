"""Connected correlations: stationary (pooled over positions) and position-resolved
(ensemble over independent sequences, Nakaishi et al. arXiv 2406.05335)."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from ..errors import BayesfitError
from ._counts import structural_counts
from ._curve import _counts, dirichlet_weights
from ._statistics import Correlation
from ._symbols import as_corpus


def connected_correlation(data, max_lag: int, *, channel=None) -> np.ndarray:
    """Stationary connected correlation ``C_ab(r) = P_r(a, b) - P_r(a) P_r(b)`` at sequential
    distances ``r = 1..max_lag`` (marginals of the pair table at each r; dimensionless).

    ``channel=None`` returns the full ``(R, K, K)`` array; ``(a, b)``, ``"max"`` or
    ``"frobenius"`` a curve of length R (see :class:`Correlation`).
    """
    main, _, _ = _counts(data, max_lag, "sequential", None, False, 0, False)
    tot = main.counts.sum(axis=0)
    if channel is None:
        from ._entropy import connected_from_counts

        return connected_from_counts(tot)
    return Correlation(channel)(tot)


def ensemble_correlation(sequences, a: int, b: int, max_lag: int) -> np.ndarray:
    """Position-resolved connected correlation over an ensemble of equal-length sequences:
    ``C_ab(t, t + r) = E[d(a, y_t) d(b, y_{t+r})] - E[d(a, y_t)] E[d(b, y_{t+r})]``, E the
    average over sequences (rows) at fixed positions. Returns ``(L, max_lag)`` with entry
    ``[t, r - 1]``; NaN where ``t + r >= L``.
    """
    y = np.asarray(sequences)
    if y.ndim != 2 or not np.issubdtype(y.dtype, np.integer):
        raise BayesfitError("ensemble_correlation needs a 2-D integer array (sequences x "
                            f"positions); got shape {y.shape} and dtype {y.dtype}.")
    S, L = y.shape
    if S < 2:
        raise BayesfitError(f"ensemble_correlation needs at least 2 sequences; got {S}.")
    if not 1 <= max_lag < L:
        raise BayesfitError(f"max_lag = {max_lag} must be between 1 and the sequence length "
                            f"minus 1 ({L - 1}).")
    A = (y == a).astype(float)
    B = (y == b).astype(float)
    joint = A.T @ B / S  # [t, t']
    pa, pb = A.mean(axis=0), B.mean(axis=0)
    out = np.full((L, max_lag), np.nan)
    t = np.arange(L)
    for r in range(1, max_lag + 1):
        tt = t[: L - r]
        out[tt, r - 1] = joint[tt, tt + r] - pa[tt] * pb[tt + r]
    return out


class DistanceMap(NamedTuple):
    """``r_seq`` (positions apart) against ``r_str`` (tree path length): pooled ``mean`` and
    ``sd`` of r_seq over token pairs at each r_str, and the bootstrap ``se`` of the mean."""

    r_str: np.ndarray
    mean: np.ndarray
    sd: np.ndarray
    se: np.ndarray
    n_pairs: np.ndarray


def sequential_vs_structural(data, max_dist: int, *, replicates: int = 200, seed: int = 0,
                             max_units: int | None = 1000) -> DistanceMap:
    """The curve ``r_seq(r_str)`` of a treebank (Lin-Tegmark's assumption 2 says it grows
    exponentially), with a Bayesian bootstrap over trees for the error of the mean."""
    corpus = as_corpus(data)
    if not corpus.trees:
        raise BayesfitError(f"{corpus.where}: r_seq(r_str) needs trees.")
    tp = structural_counts(corpus.trees, int(max_dist), len(corpus.alphabet),
                           max_units=max_units)
    n = tp.rseq_n.sum(axis=0)
    safe = np.where(n > 0, n, 1.0)
    mean = tp.rseq_sum.sum(axis=0) / safe
    sd = np.sqrt(np.maximum(tp.rseq_sq.sum(axis=0) / safe - mean**2, 0.0))
    W = dirichlet_weights(tp.rseq_n.shape[0], replicates, seed)
    reps = (W @ tp.rseq_sum) / np.maximum(W @ tp.rseq_n, 1e-300)
    se = reps.std(axis=0, ddof=1)
    return DistanceMap(np.arange(1, max_dist + 1), mean, sd, se, n)
