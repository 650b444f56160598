"""Gaussian-process regression pieces in JAX: squared-exponential kernel, log marginal
likelihood, prediction and block (leave-one-group-out) conditionals.

All functions are pure and jit/vmap/grad-safe. ``x`` and ``y`` are 1-D arrays of the
same length; ``noise_var`` is the per-point noise variance (squared standard error).
Reference: Rasmussen & Williams, *Gaussian Processes for Machine Learning* (2006),
eqs. 2.25-2.30 and 5.8.
"""

from __future__ import annotations

import jax.numpy as jnp
from jax.scipy.linalg import cho_solve

_JITTER = 1e-10
_LOG_2PI = jnp.log(2.0 * jnp.pi)


def se_kernel(x1, x2, amplitude, length):
    """``amplitude^2 exp(-(x1 - x2)^2 / (2 length^2))`` for all pairs (len(x1), len(x2))."""
    d = (x1[:, None] - x2[None, :]) / length
    return amplitude**2 * jnp.exp(-0.5 * d * d)


def _cov(x, noise_var, amplitude, length):
    k = se_kernel(x, x, amplitude, length)
    scale = amplitude**2 + jnp.max(noise_var)
    return k + jnp.diag(noise_var + _JITTER * scale)


def log_marginal(x, y, noise_var, amplitude, length, mean):
    """``log N(y | mean, K + diag(noise_var))``: the GP evidence for hyperparameters."""
    chol = jnp.linalg.cholesky(_cov(x, noise_var, amplitude, length))
    r = y - mean
    alpha = cho_solve((chol, True), r)
    return -0.5 * r @ alpha - jnp.sum(jnp.log(jnp.diag(chol))) - 0.5 * y.shape[0] * _LOG_2PI


def predict(x, y, noise_var, amplitude, length, mean, x_new):
    """Posterior mean and variance of the latent function f at ``x_new``."""
    chol = jnp.linalg.cholesky(_cov(x, noise_var, amplitude, length))
    k_star = se_kernel(x, x_new, amplitude, length)
    alpha = cho_solve((chol, True), y - mean)
    mu = mean + k_star.T @ alpha
    v = cho_solve((chol, True), k_star)
    var = amplitude**2 - jnp.sum(k_star * v, axis=0)
    return mu, jnp.maximum(var, 0.0)


def block_conditional_logpdf(x, y, noise_var, amplitude, length, mean, blocks):
    """``log p(y_g | y_-g)`` for every block g (exact Gaussian conditionals).

    ``blocks`` is a sequence of static integer index arrays. With the precision matrix
    ``P = K^-1`` and ``r = y - mean``, block g given the rest is Gaussian with precision
    ``P_gg`` and residual ``P_gg^-1 (P r)_g`` (Rasmussen & Williams eq. 5.12, for blocks).
    """
    prec = jnp.linalg.inv(_cov(x, noise_var, amplitude, length))
    prec = 0.5 * (prec + prec.T)
    pr = prec @ (y - mean)
    out = []
    for idx in blocks:
        pg = prec[jnp.ix_(idx, idx)]
        chol = jnp.linalg.cholesky(pg)
        b = pr[idx]
        quad = b @ cho_solve((chol, True), b)
        logdet = 2.0 * jnp.sum(jnp.log(jnp.diag(chol)))
        out.append(-0.5 * quad + 0.5 * logdet - 0.5 * len(idx) * _LOG_2PI)
    return jnp.stack(out)
