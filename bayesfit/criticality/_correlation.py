"""Connected correlations of symbol sequences, integrated correlation chi, length xi,
and the relaxation toward the stationary distribution, with Bayesian-bootstrap errors.

Sequences are an integer array ``(n_seq, L)`` of symbols ``0..K-1``. The stationary
connected correlation, pooled over positions t and sequences, is

    C_ab(r) = P(y_t = a, y_{t+r} = b) - P(y_t = a) P(y_{t+r} = b),

with the two marginals taken over the windows t < L - r and t >= r. The default channel
is the trace ``C(r) = sum_a C_aa(r)`` (a single channel ``(a, b)`` may be chosen).
The susceptibility is ``chi = sum_{r=1}^{R} C(r)`` (dimensionless, R = max lag; Nakaishi
et al., arXiv 2406.05335). All lags come from FFT cross-correlations of the one-hot
sequences (vectorised over lags and sequences; no loops over pairs). Uncertainty:
Dirichlet(1, ..., 1) weights over whole sequences (Bayesian bootstrap), because pairs
inside a sequence are strongly dependent.

Provisional: a minimal estimator for the critical-temperature sweep; after the merge of
``bayesfit.sequences`` (issue 14) it should delegate to that package's estimators.
"""

from __future__ import annotations

from functools import partial
from typing import NamedTuple

import jax
import jax.numpy as jnp
import numpy as np


def _onehot(seqs, n_symbols, channel):
    """One-hot (n, L, K) for both partners; K = 1 for a single channel (a, b)."""
    x = jax.nn.one_hot(seqs, n_symbols, dtype=jnp.float64)
    if channel is None:
        return x, x
    a, b = channel
    return x[..., a : a + 1], x[..., b : b + 1]


def correlation_curve(seqs, n_symbols: int, max_lag: int, channel=None, weights=None):
    """Connected correlation ``C(r)`` for r = 0..max_lag (trace, or channel ``(a, b)``).

    ``weights`` (n_seq,) or (B, n_seq): sequence weights (bootstrap); result (R+1,) or
    (B, R+1). Dimensionless.
    """
    seqs = jnp.asarray(seqs)
    n_seq, n_len = seqs.shape
    if not 1 <= max_lag < n_len:
        raise ValueError(f"max_lag={max_lag} must be in [1, L-1] for sequences of L={n_len}")
    w = jnp.ones((n_seq,)) if weights is None else jnp.asarray(weights)
    return _correlation_curve(seqs, w, int(n_symbols), int(max_lag),
                              None if channel is None else tuple(channel))


@partial(jax.jit, static_argnums=(2, 3, 4))
def _correlation_curve(seqs, w, n_symbols, max_lag, channel):
    """:func:`correlation_curve` as one compiled program (op by op, its ~30 operations
    each compiled a program of their own)."""
    n_len = seqs.shape[1]
    xa, xb = _onehot(seqs, n_symbols, channel)
    nfft = int(2 ** np.ceil(np.log2(2 * n_len)))
    fa = jnp.fft.rfft(xa, n=nfft, axis=1)
    fb = jnp.fft.rfft(xb, n=nfft, axis=1)
    # sum_t x_a(t) x_b(t + r), summed over the channel axis: (n, R+1)
    pairs = jnp.sum(jnp.fft.irfft(jnp.conj(fa) * fb, n=nfft, axis=1)[:, : max_lag + 1], -1)
    lags = np.arange(max_lag + 1)
    first = jnp.cumsum(xa, axis=1)[:, n_len - 1 - lags]  # sum over t <= L-1-r: (n, R+1, K)
    second = jnp.cumsum(xb[:, ::-1], axis=1)[:, n_len - 1 - lags]  # sum over t >= r
    norm = (n_len - lags) * jnp.sum(w, axis=-1)[..., None]  # (..., R+1)
    p_pair = jnp.einsum("...n,nr->...r", w, pairs) / norm
    pa = jnp.einsum("...n,nrk->...rk", w, first) / norm[..., None]
    pb = jnp.einsum("...n,nrk->...rk", w, second) / norm[..., None]
    return p_pair - jnp.sum(pa * pb, axis=-1)


class SequenceStats(NamedTuple):
    """Per-ensemble statistics: ``curve`` C(r) (r = 0..R) and its bootstrap covariance,
    ``chi`` and its bootstrap SE ``dchi`` (dimensionless), and the relaxation curve
    ``relaxation`` D(t) with its integrated time ``tau`` (in symbols)."""

    curve: np.ndarray
    curve_cov: np.ndarray
    chi: float
    dchi: float
    relaxation: np.ndarray
    tau: float


def relaxation_curve(seqs, n_symbols: int, late_fraction: float = 0.25):
    """Total-variation distance D(t) between the ensemble distribution of the symbol at
    position t and the late-time distribution (pooled over the last ``late_fraction``
    of positions): how the ensemble relaxes toward stationarity along the sequence."""
    x = jax.nn.one_hot(jnp.asarray(seqs), n_symbols, dtype=jnp.float64)
    p_t = jnp.mean(x, axis=0)  # (L, K)
    n_len = p_t.shape[0]
    late = jnp.mean(p_t[int(n_len * (1 - late_fraction)):], axis=0)
    return 0.5 * jnp.sum(jnp.abs(p_t - late), axis=-1)


def sequence_statistics(seqs, n_symbols: int, max_lag: int, *, channel=None,
                        n_boot: int = 100, seed: int = 0) -> SequenceStats:
    """chi and C(r) with Bayesian-bootstrap errors, and the relaxation, for one ensemble.

    ``tau = sum_t max(D(t) - D_floor, 0) / (D(0) - D_floor)`` (in symbols), where the
    floor ``D_floor`` is the mean of D over the late window: the finite-ensemble noise.
    """
    seqs = jnp.asarray(seqs)
    curve = correlation_curve(seqs, n_symbols, max_lag, channel)
    w = jax.random.dirichlet(jax.random.PRNGKey(seed), jnp.ones(seqs.shape[0]), (n_boot,))
    boot = np.asarray(correlation_curve(seqs, n_symbols, max_lag, channel, weights=w))
    chi = float(jnp.sum(curve[1:]))
    dchi = float(np.std(boot[:, 1:].sum(-1)))
    rel = relaxation_curve(seqs, n_symbols)
    floor = jnp.mean(rel[int(0.75 * seqs.shape[1]):])
    excess = jnp.maximum(rel - floor, 0.0)
    tau = float(jnp.sum(excess) / jnp.maximum(excess[0], 1e-300))
    return SequenceStats(np.asarray(curve), np.cov(boot.T), chi, dchi, np.asarray(rel), tau)
