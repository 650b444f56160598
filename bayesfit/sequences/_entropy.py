"""Entropy and mutual-information estimators from count tables, all in nats.

For counts ``n_i`` summing to ``N`` (natural logarithms throughout):

- plug-in: ``H = ln N - (1/N) sum n_i ln n_i``;
- Miller-Madow: plug-in ``+ (m - 1) / (2N)``, ``m`` the number of non-empty bins
  (Miller 1955);
- Grassberger (2003), arXiv physics/0307138 eq. (35): ``H = ln N - (1/N) sum n_i G(n_i)``,
  ``G(n) = psi(n) + (1/2) (-1)^n [psi((n+1)/2) - psi(n/2)]``.

MI is ``H(X) + H(Y) - H(X, Y)`` with the same estimator for the three terms, the marginals
being those of the pair table. Bootstrap replicates have real (weighted) counts; there
``(-1)^n`` is continued as ``cos(pi n)``, which equals it at every integer.
(automutualinformation's ``grassberger.py`` mixes ``log2 N`` with the natural digamma and
so shifts MI by ``log2 N - ln N``; here every term is in nats.)
"""

from __future__ import annotations

import numpy as np
from scipy.special import digamma

from ..errors import BayesfitError


def _grassberger_g(n: np.ndarray) -> np.ndarray:
    n = np.asarray(n, dtype=float)
    out = np.zeros_like(n)
    m = n > 0
    v = n[m]
    out[m] = digamma(v) + 0.5 * np.cos(np.pi * v) * (digamma((v + 1) / 2) - digamma(v / 2))
    return out


def _xlogx(n):
    n = np.asarray(n, dtype=float)
    return np.where(n > 0, n * np.log(np.where(n > 0, n, 1.0)), 0.0)


def entropy(counts, estimator: str = "grassberger", axis=-1) -> np.ndarray:
    """Entropy (nats) of the count tables along ``axis`` (an int or a tuple of axes)."""
    n = np.asarray(counts, dtype=float)
    N = n.sum(axis=axis)
    safe = np.where(N > 0, N, 1.0)
    if estimator == "plugin":
        return np.log(safe) - _xlogx(n).sum(axis=axis) / safe
    if estimator == "miller_madow":
        m = (n > 0).sum(axis=axis)
        return np.log(safe) - _xlogx(n).sum(axis=axis) / safe + (m - 1) / (2 * safe)
    if estimator == "grassberger":
        return np.log(safe) - (n * _grassberger_g(n)).sum(axis=axis) / safe
    raise BayesfitError(f"estimator = {estimator!r}; use one of {ESTIMATORS}.")


ESTIMATORS = ("plugin", "miller_madow", "grassberger")


def mutual_information_from_counts(counts, estimator: str = "grassberger") -> np.ndarray:
    """MI (nats) of pair tables ``counts[..., a, b]``; shape ``counts.shape[:-2]``."""
    n = np.asarray(counts, dtype=float)
    hx = entropy(n.sum(axis=-1), estimator)
    hy = entropy(n.sum(axis=-2), estimator)
    hxy = entropy(n, estimator, axis=(-2, -1))
    return hx + hy - hxy


def connected_from_counts(counts) -> np.ndarray:
    """Connected correlation ``P(a, b) - P(a) P(b)`` of pair tables ``counts[..., a, b]``
    (marginals of the pair table); same shape."""
    n = np.asarray(counts, dtype=float)
    N = n.sum(axis=(-2, -1), keepdims=True)
    N = np.where(N > 0, N, 1.0)
    p = n / N
    return p - p.sum(axis=-1, keepdims=True) * p.sum(axis=-2, keepdims=True)
