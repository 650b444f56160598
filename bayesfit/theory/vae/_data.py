"""The spiked covariance model and random initial weights, shared by the simulators.

x = W* P^(1/2) c / sqrt(N) + sqrt(eta) n with c ~ N(0, I_M*), n ~ N(0, I_N),
W*^T W* / N = I and P = diag(rho): population covariance W* P W*^T / N + eta I, spike
rho + eta over a bulk at eta. Reference: arXiv:2310.15440, arXiv:2309.07663 (Eq. 4).
"""

from __future__ import annotations

from typing import NamedTuple

import jax
import jax.numpy as jnp


class Weights(NamedTuple):
    """Decoder ``W`` (N, M), encoder ``W_enc`` (M, N), encoder variances ``D`` (M,)."""

    W: jnp.ndarray
    W_enc: jnp.ndarray
    D: jnp.ndarray


def teacher(key, N: int, M_star: int = 1):
    """Random factor loadings W* (N, M*) with W*^T W* / N = I exactly."""
    q, _ = jnp.linalg.qr(jax.random.normal(key, (N, M_star)))
    return q * jnp.sqrt(N)


def sample_spiked(key, n: int, W_star, rho, eta):
    """``n`` samples (n, N) of the spiked covariance model (float64)."""
    N, M_star = W_star.shape
    kc, kn = jax.random.split(key)
    c = jax.random.normal(kc, (n, M_star)) * jnp.sqrt(jnp.asarray(rho, jnp.float64))
    return c @ W_star.T / jnp.sqrt(N) + jnp.sqrt(eta) * jax.random.normal(kn, (n, N))


def gaussian_weights(key, W_star, M: int = 1, *, m0=None) -> Weights:
    """W_ij, W~_ij ~ N(0, 1), D = 1 (the authors' initialisation).

    With ``m0`` (scalar) the teacher component of every latent is replaced so that
    m = d = m0 exactly (shorter plateau; useful to compare with the ODE deterministically).
    """
    N, _ = W_star.shape
    k1, k2 = jax.random.split(key)
    W = jax.random.normal(k1, (N, M))
    W_enc = jax.random.normal(k2, (M, N))
    if m0 is not None:
        proj = lambda A: A - W_star @ (W_star.T @ A) / N  # noqa: E731
        target = W_star @ jnp.full((W_star.shape[1], M), m0)
        W = proj(W) + target
        W_enc = (proj(W_enc.T) + target).T
    return Weights(W=W, W_enc=W_enc, D=jnp.ones(M))
