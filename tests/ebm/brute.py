"""Brute-force references for the ebm tests, written independently of the package:
plain NumPy loops over itertools.product, no index arithmetic, no chunking."""

from __future__ import annotations

import itertools

import numpy as np


def spin_states(n: int) -> np.ndarray:
    """All {-1,+1}^n states; row order matches bayesfit's index (bit i <-> spin i)."""
    rows = []
    for k in range(2**n):
        rows.append([1.0 if (k >> i) & 1 else -1.0 for i in range(n)])
    return np.array(rows)


def bit_states(m: int) -> np.ndarray:
    return np.array(list(itertools.product([0.0, 1.0], repeat=m)))


def logsumexp(x) -> float:
    x = np.asarray(x, dtype=float)
    c = x.max()
    return float(c + np.log(np.exp(x - c).sum()))


def rbm_joint_energy(a, b, W, s, h) -> float:
    """E(s, h) = -a.s - b.h - h.W s for one configuration."""
    a, b, W = np.asarray(a), np.asarray(b), np.asarray(W)
    return float(-(a @ s) - (b @ h) - h @ W @ s)


def rbm_log_q_table(a, b, W) -> tuple[np.ndarray, float]:
    """log q~(s) for all visible states by summing over every hidden state, and log Z
    from the double sum over (s, h)."""
    n, m = len(a), len(b)
    S, H = spin_states(n), bit_states(m)
    log_qt = np.array([logsumexp([-rbm_joint_energy(a, b, W, s, h) for h in H]) for s in S])
    log_Z = logsumexp([-rbm_joint_energy(a, b, W, s, h) for s in S for h in H])
    return log_qt, log_Z


def sk_energy(J, beta, s) -> float:
    n = len(s)
    tot = 0.0
    for i in range(n):
        for j in range(i + 1, n):
            tot += J[i][j] * s[i] * s[j]
    return float(-beta * tot)


def greedy_descent(energy_of, s) -> tuple:
    """Steepest single-flip descent (ties to the lowest index) to a local minimum."""
    s = list(s)
    while True:
        e0 = energy_of(np.array(s))
        best, best_i = e0, None
        for i in range(len(s)):
            t = list(s)
            t[i] = -t[i]
            e = energy_of(np.array(t))
            if e < best:
                best, best_i = e, i
        if best_i is None:
            return tuple(s)
        s[best_i] = -s[best_i]


def tv(p, q) -> float:
    return float(0.5 * np.abs(np.asarray(p) - np.asarray(q)).sum())


def histogram(x: np.ndarray) -> np.ndarray:
    """Empirical distribution over states (index order) of spin samples x (N, n)."""
    n = x.shape[1]
    idx = ((np.asarray(x) > 0).astype(np.int64) << np.arange(n)).sum(axis=1)
    return np.bincount(idx, minlength=2**n) / len(idx)
