"""Moves within one replica: random-walk Metropolis and Hamiltonian Monte Carlo.

Every replica targets ``theta . f(z)`` in the unconstrained space, where the *features*
``f(z) = (log q(z), log prior(z), l_1(z), ..., l_D(z))`` hold the log density of the
run's reference ``q`` (:mod:`._reference`), the log prior and the log likelihood of each
dataset, and ``theta`` the replica's weights (``theta = (0, 1, b, ..., b)`` for a plain
power posterior, ``(1 - b, b, b, ..., b)`` on the path ``q**(1-b) pi**b``). The state caches
the features: they do not depend on ``theta``, so they stay valid when a swap hands the
state to another replica.

Both kernels take a step size ``eps`` (dimensionless) and a lower-triangular factor ``S``
(units of ``z``) of an estimate ``S S^T`` of the replica's posterior covariance (diagonal
when the mass matrix is diagonal): RWM proposes ``z + eps * S xi`` (Roberts, Gelman &
Gilks 1997); HMC uses the inverse mass matrix ``S S^T`` and ``leapfrog_steps`` leapfrog
steps of a jittered ``eps`` (Neal 2011, "MCMC using Hamiltonian dynamics"): momenta
``p = S^-T xi``, drift ``S (S^T p)``, kinetic energy ``|S^T p|^2 / 2``. Gradients come
from JAX.
"""

from __future__ import annotations

from typing import NamedTuple

import jax
import jax.numpy as jnp

from ._reference import Gaussian, Mixture, log_density


class ReplicaState(NamedTuple):
    """A point ``z`` with its log prior (incl. Jacobian), per-dataset log likelihoods and
    log reference density."""

    z: jax.Array  # (dim,)
    log_prior: jax.Array  # ()
    loglik: jax.Array  # (D,)
    log_ref: jax.Array  # ()


def _finite(x):
    return jnp.where(jnp.isnan(x), -jnp.inf, x)


def features(s: ReplicaState):
    """``(..., D + 2)``: ``(log q, log prior, l_1, ..., l_D)`` of (batched) states."""
    return jnp.concatenate([s.log_ref[..., None], s.log_prior[..., None], s.loglik], -1)


def tempered(feats, theta):
    """``theta . f`` with ``0 * (-inf) = 0``; NaN counts as ``-inf``."""
    return _finite(jnp.sum(jnp.where(theta == 0, 0.0, theta * feats), -1))


def init(z, log_prior_fn, loglik_fn, ref: Gaussian | Mixture) -> ReplicaState:
    return ReplicaState(z, _finite(log_prior_fn(z)), _finite(loglik_fn(z)),
                        _finite(log_density(ref, z)))


def build_rwm(log_prior_fn, loglik_fn):
    """Random-walk Metropolis kernel ``(key, state, theta, eps, chol, ref) -> (state, acc)``.

    ``acc`` is the Metropolis acceptance probability of the proposal (for adaptation).
    """

    def kernel(key, state: ReplicaState, theta, eps, chol, ref):
        k_prop, k_acc = jax.random.split(key)
        z_new = state.z + eps * chol @ jax.random.normal(k_prop, state.z.shape)
        new = init(z_new, log_prior_fn, loglik_fn, ref)
        log_a = tempered(features(new), theta) - tempered(features(state), theta)
        log_a = jnp.where(jnp.isnan(log_a), -jnp.inf, log_a)
        accept = jnp.log(jax.random.uniform(k_acc)) < log_a
        out = jax.tree_util.tree_map(lambda a, b: jnp.where(accept, a, b), new, state)
        return out, jnp.exp(jnp.minimum(log_a, 0.0))

    return kernel


def build_hmc(log_prior_fn, loglik_fn, leapfrog_steps: int, jitter: float = 0.2):
    """HMC kernel ``(key, state, theta, eps, chol, ref) -> (state, acc)``.

    The step size is drawn uniformly from ``eps * [1 - jitter, 1 + jitter]`` each move
    (avoids resonant trajectories; the move stays reversible).
    """

    def kernel(key, state: ReplicaState, theta, eps, chol, ref):
        k_mom, k_eps, k_acc = jax.random.split(key, 3)

        def potential(z):
            s = ReplicaState(z, _finite(log_prior_fn(z)), _finite(loglik_fn(z)),
                             _finite(log_density(ref, z)))
            return -tempered(features(s), theta), s[1:]

        grad = jax.value_and_grad(potential, has_aux=True)
        h = eps * jax.random.uniform(k_eps, minval=1.0 - jitter, maxval=1.0 + jitter)
        xi = jax.random.normal(k_mom, state.z.shape)
        p0 = jax.scipy.linalg.solve_triangular(chol, xi, lower=True, trans="T")

        # leapfrog as L + 1 gradient evaluations at a single call site (one compiled copy
        # of the model and its gradient): kick c_i h, drift d_i h with c = (1/2, 1, ..., 1,
        # 1/2) and d = (1, ..., 1, 0); the potential at the start comes from step 0
        def step(i, carry):
            z, p, _u, _aux, u0 = carry
            (u, aux), g = grad(z)
            p = p - jnp.where((i == 0) | (i == leapfrog_steps), 0.5, 1.0) * h * g
            z = z + jnp.where(i == leapfrog_steps, 0.0, h) * (chol @ (chol.T @ p))
            return z, p, u, aux, jnp.where(i == 0, u, u0)

        carry0 = (state.z, p0, jnp.zeros(()), state[1:], jnp.zeros(()))
        z1, p1, u1, aux1, u0 = jax.lax.fori_loop(0, leapfrog_steps + 1, step, carry0)
        kin = lambda p: 0.5 * jnp.sum(jnp.square(chol.T @ p))  # noqa: E731
        log_a = (u0 + kin(p0)) - (u1 + kin(p1))
        log_a = jnp.where(jnp.isfinite(log_a), log_a, -jnp.inf)
        accept = jnp.log(jax.random.uniform(k_acc)) < log_a
        new = ReplicaState(z1, *aux1)
        out = jax.tree_util.tree_map(lambda a, b: jnp.where(accept, a, b), new, state)
        return out, jnp.exp(jnp.minimum(log_a, 0.0))

    return kernel
