"""Convergence time of a learning curve (the KL-annealing figure of merit).

Reference: arXiv:2310.15440 (speed-up with KL annealing). Not differentiable (a first
passage time); evaluate it on posterior draws to get its posterior.
"""

from __future__ import annotations

import jax.numpy as jnp


def convergence_time(ts, eps, eps_star, tol: float = 0.01):
    """First save time after which |eps(t) - eps_star| < tol for good.

    ``ts``: save times (increasing, SGD steps / N); ``eps``: epsilon_g at ``ts`` (leading
    axis); ``eps_star``: its limit (e.g. the last value of a long run, or
    :func:`stationary_overlaps`); ``tol``: band half-width. Returns inf if the curve ends
    outside the band. Resolution is the spacing of ``ts``.
    """
    ts = jnp.asarray(ts)
    outside = jnp.abs(jnp.asarray(eps) - eps_star) >= tol
    idx = jnp.arange(ts.shape[0])
    last_out = jnp.max(jnp.where(outside, idx, -1))
    i = last_out + 1
    return jnp.where(i < ts.shape[0], ts[jnp.minimum(i, ts.shape[0] - 1)], jnp.inf)
