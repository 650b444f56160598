"""Full-batch training of the linear beta-VAE on a finite dataset (the replica's check).

Minimises the summed objective of arXiv:2309.07663 (authors' ``criterion``)

    L = sum_mu [ E_q ||x_mu - W z / sqrt(N)||^2 / 2 + beta KL(q(z|x_mu) || N(0, I)) ]
        + (lam/2) (||W||^2 + ||W~||^2)

over (W, W~, D) with an optax optimiser on L / n (same minimiser), D = exp(log D) > 0.
Also the empirical rate and distortion of trained weights on any sample set.
"""

from __future__ import annotations

import functools
from typing import NamedTuple

import jax
import jax.numpy as jnp
import optax

from ._data import Weights


class Fit(NamedTuple):
    """Trained weights, final objective L/n and the final gradient norm."""

    weights: Weights
    loss: jnp.ndarray
    grad_norm: jnp.ndarray


def per_sample_terms(w: Weights, X):
    """(reconstruction, KL) per sample, shape (n,) each, for samples X (n, N).

    Reconstruction is E_q ||x - W z/sqrt(N)||^2/2 without the x-only ||x||^2/2 (nats);
    KL = sum_k (mu_k^2 + D_k - log D_k - 1)/2 (nats).
    """
    N = X.shape[1]
    mu = X @ w.W_enc.T / jnp.sqrt(N)
    a = X @ w.W / jnp.sqrt(N)
    QW = w.W.T @ w.W / N
    recon = -jnp.sum(a * mu, axis=1) + 0.5 * jnp.einsum("ik,kl,il->i", mu, QW, mu)
    recon = recon + 0.5 * jnp.sum(jnp.diag(QW) * w.D)
    kl = 0.5 * jnp.sum(mu**2 + w.D - jnp.log(w.D) - 1.0, axis=1)
    return recon, kl


def objective(w: Weights, X, *, beta, lam):
    """L / n for the dataset X (n, N)."""
    recon, kl = per_sample_terms(w, X)
    reg = 0.5 * lam * (jnp.sum(w.W**2) + jnp.sum(w.W_enc**2))
    return jnp.mean(recon + beta * kl) + reg / X.shape[0]


@functools.partial(jax.jit, static_argnames=("steps", "optimizer"))
def train_full_batch(X, init: Weights, *, beta, lam, steps: int = 3000, optimizer=None) -> Fit:
    """Train on all of X (n, N) for ``steps`` optimiser steps from ``init``.

    ``optimizer``: an optax ``GradientTransformationExtraArgs`` (default ``optax.lbfgs()``,
    which converges to the global minimiser far faster than the authors' Adam; pass
    ``optax.adam(1e-3)`` to mimic their runs). ``beta``: KL weight; ``lam``: weight decay
    of the summed objective.
    """
    opt = optax.lbfgs() if optimizer is None else optimizer
    to_params = lambda w: (w.W, w.W_enc, jnp.log(w.D))  # noqa: E731
    to_weights = lambda p: Weights(p[0], p[1], jnp.exp(p[2]))  # noqa: E731

    def f(p):
        return objective(to_weights(p), X, beta=beta, lam=lam)

    value_and_grad = optax.value_and_grad_from_state(f)

    def step(carry, _):
        p, state = carry
        value, grad = value_and_grad(p, state=state)
        updates, state = opt.update(grad, state, p, value=value, grad=grad, value_fn=f)
        return (optax.apply_updates(p, updates), state), None

    p0 = to_params(init)
    (p, _), _ = jax.lax.scan(step, (p0, opt.init(p0)), None, length=steps)
    value, grad = jax.value_and_grad(f)(p)
    gnorm = jnp.sqrt(sum(jnp.sum(g**2) for g in grad))
    return Fit(weights=to_weights(p), loss=value, grad_norm=gnorm)


def rate_distortion(w: Weights, X):
    """Empirical (rate, distortion) per sample on X: the mean KL and the mean
    reconstruction term without ||x||^2/2 (nats). Use training X for the training
    curve and fresh samples for the test curve."""
    recon, kl = per_sample_terms(w, X)
    return jnp.mean(kl), jnp.mean(recon)
