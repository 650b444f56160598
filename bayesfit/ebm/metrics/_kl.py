"""KL divergences between target ``p`` and model ``q``, both directions (nats)."""

from __future__ import annotations

from typing import NamedTuple

import jax.numpy as jnp
from jax import Array


class KL(NamedTuple):
    """``pq = KL(p || q)`` (forward; large when q misses p's mass) and
    ``qp = KL(q || p)`` (reverse; large when q puts mass where p has little), nats."""

    pq: Array
    qp: Array


def kl_exact(log_p: Array, log_q: Array) -> KL:
    """Both KLs from normalised log-probabilities of all states (``2**n,``)."""
    p, q = jnp.exp(log_p), jnp.exp(log_q)
    diff = log_p - log_q
    return KL(pq=jnp.sum(p * diff), qp=-jnp.sum(q * diff))


def kl_estimate(log_pt_p: Array, u_p: Array, log_pt_q: Array, u_q: Array,
                log_Z_p: Array, log_Z_q: Array) -> KL:
    """Both KLs from samples, for ``n`` too large to enumerate.

    Args:
        log_pt_p, u_p: ``log p~`` and ``u = -F`` at held-out target samples.
        log_pt_q, u_q: the same at RBM samples (long Gibbs chains).
        log_Z_p: target log normaliser (exact where known, else AIS / PT).
        log_Z_q: RBM log normaliser (exact by hidden enumeration if ``m <= ~20``, else AIS).

    ``KL(p||q) = E_p[log p~ - u] - log Z_p + log Z_q``; ``KL(q||p)`` symmetrically. The
    error is the Monte Carlo error of the means plus the errors of both ``log Z``.
    """
    pq = jnp.mean(log_pt_p - u_p) - log_Z_p + log_Z_q
    qp = jnp.mean(u_q - log_pt_q) - log_Z_q + log_Z_p
    return KL(pq=pq, qp=qp)
