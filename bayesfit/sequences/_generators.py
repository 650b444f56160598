"""Seeded generators with known correlation decay (spec sequences.md, section 5).

- :func:`markov_chain` / :func:`binary_markov`: exponential decay; ``I(r)`` exactly from
  :func:`markov_mi`, asymptotically ``~ |lambda_2|^(2r)`` (correlation length of the MI
  ``xi = -1 / (2 ln |lambda_2|)``).
- :func:`lin_tegmark_tree`: Lin & Tegmark (2017, Entropy 19, 299) tree process; the leaves
  have ``I(r) ~ r^-alpha`` with ``alpha = -4 log2(lambda)``; in tree distance the MI decays
  as ``lambda^(2 r_str)``.
- :func:`fgn_threshold`: the sign of fractional Gaussian noise with Hurst ``H``: a power law
  ``I(r) ~ r^-(4 - 4H)`` without any hierarchy.
"""

from __future__ import annotations

import numpy as np

from ..errors import BayesfitError
from ._symbols import Corpus, Tree


def _check_stochastic(P) -> np.ndarray:
    P = np.asarray(P, dtype=float)
    if P.ndim != 2 or P.shape[0] != P.shape[1] or np.any(P < 0) or \
            not np.allclose(P.sum(axis=1), 1.0):
        raise BayesfitError("transition matrix must be square, non-negative, rows summing to 1.")
    return P


def stationary(P) -> np.ndarray:
    """Stationary distribution of the transition matrix ``P``."""
    w, v = np.linalg.eig(np.asarray(P, dtype=float).T)
    pi = np.real(v[:, np.argmin(np.abs(w - 1.0))])
    return pi / pi.sum()


def markov_chain(P, n_seq: int, length: int, seed: int = 0) -> np.ndarray:
    """``(n_seq, length)`` integer array of stationary Markov chains with transitions ``P``."""
    P = _check_stochastic(P)
    rng = np.random.default_rng(seed)
    cum = np.cumsum(P, axis=1)
    out = np.empty((n_seq, length), dtype=np.int32)
    out[:, 0] = rng.choice(P.shape[0], size=n_seq, p=stationary(P))
    u = rng.random((n_seq, length))
    for t in range(1, length):
        row = cum[out[:, t - 1]]
        out[:, t] = np.minimum((u[:, t, None] > row).sum(axis=1), P.shape[0] - 1)
    return out


def binary_markov(eps: float, n_seq: int, length: int, seed: int = 0) -> np.ndarray:
    """Binary symmetric chain flipping with probability ``eps`` (``lambda = 1 - 2 eps``)."""
    return markov_chain([[1 - eps, eps], [eps, 1 - eps]], n_seq, length, seed)


def markov_mi(P, r) -> np.ndarray:
    """Exact MI (nats) between ``x_t`` and ``x_{t+r}`` of the stationary chain ``P``."""
    P = _check_stochastic(P)
    pi = stationary(P)
    out = []
    for k in np.atleast_1d(r):
        Pr = np.linalg.matrix_power(P, int(k))
        joint = pi[:, None] * Pr
        m = joint > 0
        out.append(float(np.sum(joint[m] * np.log(Pr[m] / np.broadcast_to(pi, Pr.shape)[m]))))
    return np.asarray(out)


def lin_tegmark_tree(K: int, depth: int, lam: float, n_trees: int, seed: int = 0) -> Corpus:
    """Binary trees of ``depth`` levels below the root; the root draws uniformly from ``K``
    symbols, each child copies its parent with probability ``lam`` and otherwise draws
    uniformly. The sequences are the leaves in order; the trees hold all nodes (leaves
    have ``order`` 0..2^depth-1, inner nodes -1), in heap order (children of i: 2i+1, 2i+2).
    """
    if not 0 < lam < 1 or K < 2 or depth < 1:
        raise BayesfitError("lin_tegmark_tree needs 0 < lam < 1, K >= 2, depth >= 1.")
    rng = np.random.default_rng(seed)
    n = 2 ** (depth + 1) - 1
    lab = np.empty((n_trees, n), dtype=np.int32)
    lab[:, 0] = rng.integers(0, K, n_trees)
    for lvl in range(1, depth + 1):
        lo, hi = 2**lvl - 1, 2 ** (lvl + 1) - 1
        par = lab[:, (np.arange(lo, hi) - 1) // 2]
        copy = rng.random((n_trees, hi - lo)) < lam
        lab[:, lo:hi] = np.where(copy, par, rng.integers(0, K, (n_trees, hi - lo)))
    parent = np.concatenate([[-1], (np.arange(1, n) - 1) // 2])
    first_leaf = 2**depth - 1
    order = np.where(np.arange(n) >= first_leaf, np.arange(n) - first_leaf, -1)
    trees = [Tree(parent, lab[t], order) for t in range(n_trees)]
    return Corpus([lab[t, first_leaf:].copy() for t in range(n_trees)], tuple(range(K)),
                  trees, f"lin_tegmark_tree(K={K}, depth={depth}, lam={lam})")


def fgn_threshold(hurst: float, n_seq: int, length: int, seed: int = 0) -> np.ndarray:
    """``(n_seq, length)`` 0/1 array: the sign of fractional Gaussian noise (Hurst ``H``),
    generated exactly by circulant embedding (Davies & Harte 1987)."""
    if not 0 < hurst < 1:
        raise BayesfitError(f"hurst = {hurst} must lie in (0, 1).")
    k = np.arange(length + 1, dtype=float)
    gamma = 0.5 * (np.abs(k + 1) ** (2 * hurst) - 2 * k ** (2 * hurst)
                   + np.abs(k - 1) ** (2 * hurst))
    row = np.concatenate([gamma, gamma[-2:0:-1]])
    lam = np.fft.rfft(row).real
    lam = np.maximum(lam, 0.0)
    m = row.size
    rng = np.random.default_rng(seed)
    z = rng.standard_normal((n_seq, m)) + 1j * rng.standard_normal((n_seq, m))
    w = np.fft.fft(np.sqrt(np.concatenate([lam, lam[-2:0:-1]]) / m) * z, axis=1)
    return (w.real[:, :length] > 0).astype(np.int32)
