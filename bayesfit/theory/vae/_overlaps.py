"""Order parameters (overlaps) of the online linear VAE and the observables built on them.

Notation (arXiv:2310.15440; M latents, M* generative factors, input dimension N):
``m = W^T W*/N`` (M x M*), ``d = W~ W*/N`` (M x M*), ``Q = W^T W/N``, ``E = W~ W~^T/N``,
``R = W^T W~^T/N`` (M x M each) and the encoder variances ``D`` (M,). All are O(1) and
dimensionless. ``W`` is the decoder (N x M), ``W~`` the encoder (M x N) and ``W*`` the
teacher's factor loadings (N x M*, ``W*^T W*/N = I``).
"""

from __future__ import annotations

from typing import NamedTuple

import jax.numpy as jnp


class Overlaps(NamedTuple):
    """The order parameters; fields may carry leading batch (e.g. time) axes."""

    m: jnp.ndarray  # (..., M, M*) decoder-teacher overlap
    d: jnp.ndarray  # (..., M, M*) encoder-teacher overlap
    Q: jnp.ndarray  # (..., M, M) decoder Gram matrix
    E: jnp.ndarray  # (..., M, M) encoder Gram matrix
    R: jnp.ndarray  # (..., M, M) decoder-encoder overlap
    D: jnp.ndarray  # (..., M) encoder variances (> 0)


def initial_overlaps(
    m0, *, M: int = 1, M_star: int = 1, d0=None, Q0=1.0, E0=1.0, R0=0.0, D0=1.0, pattern=None
) -> Overlaps:
    """Overlaps of a random initialisation, with the teacher overlap as an input.

    A Gaussian initialisation W_ij, W~_ij ~ N(0, 1) gives Q = E = I, R = 0 and
    ``m, d ~ N(0, 1/N)``: ``m = d = 0`` is the (unstable) plateau, so the plateau length
    depends on ``log(1/|m0|)`` and ``m0`` must be given (Sec. 1.4 of the spec).

    ``m0``, ``d0`` (default ``m0``): initial teacher overlaps (dimensionless scalars,
    multiplied by ``pattern``, an (M, M*) array, default all ones); ``Q0``, ``E0``: initial
    squared norms per latent; ``R0``: initial decoder-encoder overlap; ``D0``: initial
    encoder variance.
    """
    pattern = jnp.ones((M, M_star)) if pattern is None else jnp.asarray(pattern, float)
    d0 = m0 if d0 is None else d0
    eye = jnp.eye(M)
    return Overlaps(
        m=m0 * pattern,
        d=d0 * pattern,
        Q=Q0 * eye,
        E=E0 * eye,
        R=R0 * eye,
        D=D0 * jnp.ones(M),
    )


def overlaps_from_weights(W, W_enc, D, W_star) -> Overlaps:
    """Order parameters of concrete weights: ``W`` (N, M), ``W_enc`` (M, N), ``D`` (M,),
    ``W_star`` (N, M*). Used by the simulators."""
    N = W.shape[0]
    return Overlaps(
        m=W.T @ W_star / N,
        d=W_enc @ W_star / N,
        Q=W.T @ W / N,
        E=W_enc @ W_enc.T / N,
        R=W.T @ W_enc.T / N,
        D=D,
    )


def _sqrt_rho(rho, M_star):
    return jnp.sqrt(jnp.broadcast_to(jnp.asarray(rho, jnp.float64), (M_star,)))


def generalization_error(ov: Overlaps, rho):
    """epsilon_g = ||W* P^(1/2) - W||_F^2 / N = tr P - 2 sum_k sqrt(rho_k)|m_kk| + tr Q.

    Latent k is matched with factor k (missing columns of the smaller matrix are zero),
    and each latent's sign is free (the loss is invariant under (W_k, W~_k) -> -(W_k, W~_k)),
    hence |m_kk|. For M = M* = 1 this is rho - 2 sqrt(rho)|m| + Q. ``rho``: signal
    strengths (scalar or (M*,)). Result dimensionless, per input dimension.
    """
    M, M_star = ov.m.shape[-2:]
    sr = _sqrt_rho(rho, M_star)
    k = min(M, M_star)
    diag = jnp.abs(jnp.diagonal(ov.m, axis1=-2, axis2=-1))[..., :k]
    trQ = jnp.trace(ov.Q, axis1=-2, axis2=-1)
    return jnp.sum(sr**2) - 2.0 * jnp.sum(sr[:k] * diag, axis=-1) + trQ
