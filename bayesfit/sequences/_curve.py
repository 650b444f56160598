"""Curves of a pair statistic against distance, with a Bayesian bootstrap over whole
sequences (or trees) for the covariance of the whole curve.

Why whole sequences: the pairs at one lag share symbols with each other and with the pairs
at every other lag, so neither the points of one lag nor the lags are independent. Giving
every *unit* (a sequence or a tree) a Dirichlet(1, ..., 1) weight (Rubin 1981's Bayesian
bootstrap) and recomputing the statistic from the weighted pair counts keeps all of that
dependence; the covariance across lags comes out of the same replicates. A posterior that
treats the pairs as independent (:func:`pair_iid_replicates`) is far too narrow (spec
sequences.md, section 4.1).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .._progress import bar
from ..errors import BayesfitError
from ._counts import (
    PairCounts,
    sequential_counts,
    shuffle_tree_labels,
    shuffle_within,
    structural_counts,
)
from ._statistics import MutualInformation
from ._symbols import as_corpus, check_lags

_CHUNK_FLOATS = 2**24  # weighted count tables held at once (~134 MB)


class Curve(NamedTuple):
    """A statistic against distance, its shuffled baseline and its bootstrap covariance.

    ``value`` is the statistic of the corpus, ``baseline`` that of the corpus with every
    sequence (tree labels) shuffled on its own, ``corrected = value - baseline``;
    ``replicates`` (B, R) are bootstrap draws of ``corrected`` and ``cov`` their covariance
    (units of the statistic squared: nats^2 for MI). ``n_pairs`` counts the pairs per r.
    """

    r: np.ndarray
    value: np.ndarray
    baseline: np.ndarray
    cov: np.ndarray
    replicates: np.ndarray
    n_pairs: np.ndarray
    distance: str
    statistic: str
    units: str

    @property
    def corrected(self) -> np.ndarray:
        return self.value - self.baseline

    @property
    def se(self) -> np.ndarray:
        return np.sqrt(np.diag(self.cov))

    def log_data(self, min_snr: float = 2.0):
        """``(r, y, cov)`` for a fit in log space: ``y = ln(corrected)`` on the lags from
        the first one up to (not including) the first lag whose ``corrected`` is below
        ``min_snr`` standard errors; ``cov`` by the delta method, ``cov_ij / (I_i I_j)``."""
        ok = self.corrected > min_snr * self.se
        n = int(np.argmin(ok)) if not ok.all() else ok.size
        if n < 3:
            raise BayesfitError(
                f"only {n} lags have a {self.statistic} above {min_snr} standard errors; a "
                "decay fit needs at least 3. Use more data or a lower min_snr.")
        c = self.corrected[:n]
        return self.r[:n].astype(float), np.log(c), self.cov[:n, :n] / np.outer(c, c)


    def linear_data(self, max_lag: int | None = None):
        """``(r, y, cov)`` for a fit in linear space: ``y = corrected`` at every lag up to
        ``max_lag`` (negative values allowed) with the bootstrap covariance."""
        n = self.r.size if max_lag is None else int(np.searchsorted(self.r, max_lag, "right"))
        return self.r[:n].astype(float), self.corrected[:n], self.cov[:n, :n]


def dirichlet_weights(n_units: int, replicates: int, seed: int) -> np.ndarray:
    """Bayesian-bootstrap weights (replicates, n_units), mean 1 per unit."""
    rng = np.random.default_rng(seed)
    g = rng.standard_exponential((replicates, n_units))
    return g / g.sum(axis=1, keepdims=True) * n_units


def weighted_statistic(counts: np.ndarray, weights: np.ndarray, statistic) -> np.ndarray:
    """``statistic(sum_u w[b, u] counts[u])`` for every replicate ``b``: (B, R)."""
    U, R, K, _ = counts.shape
    B = weights.shape[0]
    step = max(1, _CHUNK_FLOATS // max(1, B * K * K))
    out = np.empty((B, R))
    for lo in range(0, R, step):
        hi = min(R, lo + step)
        flat = counts[:, lo:hi].reshape(U, -1).astype(float)
        out[:, lo:hi] = statistic((weights @ flat).reshape(B, hi - lo, K, K))
    return out


def pair_iid_replicates(counts: np.ndarray, statistic, replicates: int = 200,
                        seed: int = 0) -> np.ndarray:
    """Replicates of the statistic under a posterior that treats every *pair* as
    independent (Dirichlet over the pooled pair table, as a Bayesian bootstrap of pairs).
    For comparison only: it ignores that pairs share symbols and sequences."""
    rng = np.random.default_rng(seed)
    tot = counts.sum(axis=0) if counts.ndim == 4 else counts
    out = np.empty((replicates, tot.shape[0]))
    for b in range(replicates):
        out[b] = statistic(rng.gamma(np.where(tot > 0, tot, 1.0)) * (tot > 0))
    return out


def _counts(data, max_lag, distance, max_units, progress, seed, shuffle=True):
    corpus = as_corpus(data)
    if distance == "sequential":
        check_lags(corpus, max_lag)
        pb = None
        if progress is not False:
            def pb(it, _n=max_lag):
                b = bar(_n, "pair counts", progress)
                for r in it:
                    yield r
                    b.update(1)
                b.close()
        main = sequential_counts(corpus, max_lag, max_units=max_units, progress=pb)
        shuf = sequential_counts(shuffle_within(corpus, seed), max_lag,
                                 max_units=max_units) if shuffle else None
        return main, shuf, None
    if distance == "structural":
        if not corpus.trees:
            raise BayesfitError(f"{corpus.where}: distance = 'structural' needs trees (read a "
                                "CoNLL-U file or pass a Corpus with trees).")
        if isinstance(max_lag, bool) or not isinstance(max_lag, int | np.integer) or max_lag < 1:
            raise BayesfitError(f"max_lag = {max_lag!r} must be an integer >= 1.")
        K = len(corpus.alphabet)
        main = structural_counts(corpus.trees, int(max_lag), K, max_units=max_units)
        shuf = structural_counts(shuffle_tree_labels(corpus.trees, seed), int(max_lag), K,
                                 max_units=max_units).counts if shuffle else None
        if main.counts.counts.sum() == 0:
            raise BayesfitError(f"{corpus.where}: no node pairs within distance {max_lag}.")
        return main.counts, shuf, main
    raise BayesfitError(f"distance = {distance!r}; use 'sequential' or 'structural'.")


def _curve(main: PairCounts, shuf: PairCounts, statistic, replicates, baseline, seed):
    tot = main.counts.sum(axis=0)
    value = statistic(tot)
    base = statistic(shuf.counts.sum(axis=0)) if baseline else np.zeros_like(value)
    W = dirichlet_weights(main.counts.shape[0], replicates, seed + 1)
    reps = weighted_statistic(main.counts, W, statistic)
    if baseline:
        reps = reps - weighted_statistic(shuf.counts, W, statistic)
    cov = np.atleast_2d(np.cov(reps, rowvar=False))
    name = type(statistic).__name__
    return Curve(main.r, value, base, cov, reps, tot.sum(axis=(-2, -1)), main.distance,
                 name, getattr(statistic, "units", ""))


def bootstrap_curve(data, max_lag: int, *, statistic=None, distance: str = "sequential",
                    replicates: int = 200, baseline: bool = True, seed: int = 0,
                    max_units: int | None = 1000, progress: bool | None = None) -> Curve:
    """The curve of ``statistic`` (default :class:`MutualInformation`, Grassberger, nats)
    at distances ``1..max_lag`` with its Bayesian-bootstrap covariance over whole
    sequences (``distance="sequential"``) or trees (``"structural"``).

    ``data``: a :class:`Corpus` (e.g. from :func:`read_conllu`), a 2-D integer array or a
    list of sequences. ``replicates`` bootstrap draws (``seed`` fixes them and the
    shuffle). ``baseline`` subtracts the within-sequence shuffled curve from every
    replicate. More than ``max_units`` sequences are merged into that many runs of
    consecutive sequences, which are then resampled whole.
    """
    if isinstance(replicates, bool) or not isinstance(replicates, int) or replicates < 2:
        raise BayesfitError(f"replicates = {replicates!r} must be an integer >= 2.")
    statistic = statistic or MutualInformation()
    main, shuf, _ = _counts(data, max_lag, distance, max_units, progress, seed, baseline)
    return _curve(main, shuf, statistic, replicates, baseline, seed)


def mutual_information(data, max_lag: int, *, estimator: str = "grassberger",
                       distance: str = "sequential", baseline: bool = False,
                       seed: int = 0) -> np.ndarray:
    """MI (nats) at distances ``1..max_lag`` (index ``r - 1``), pooled over all pairs of
    all sequences (or trees); with ``baseline=True`` minus the within-sequence shuffled
    MI. No bootstrap: see :func:`bootstrap_curve` for the covariance."""
    st = MutualInformation(estimator)
    main, shuf, _ = _counts(data, max_lag, distance, None, False, seed, baseline)
    v = st(main.counts.sum(axis=0))
    return v - st(shuf.counts.sum(axis=0)) if baseline else v


def pair_counts(data, max_lag: int, *, distance: str = "sequential") -> np.ndarray:
    """Pooled pair table ``n[r - 1, a, b]`` at distances ``1..max_lag``."""
    main, _, _ = _counts(data, max_lag, distance, None, False, 0, False)
    return main.counts.sum(axis=0)
