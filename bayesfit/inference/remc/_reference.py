"""The Gaussian reference ``q = N(mean, chol chol^T)`` of variational parallel tempering.

Surjanovic, Syed, Bouchard-Cote & Campbell (2022), "Parallel tempering with a variational
reference", NeurIPS: tempering along ``q**(1-b) pi**b`` from a reference close to the
posterior ``pi`` has a far smaller communication barrier than tempering from the prior when
the posterior is much narrower than the prior. ``q`` starts at the Laplace approximation
of the MAP (:mod:`._start`) and is refitted during warm-up by moment matching to the
draws of the ``b = 1`` replica (their Gaussian reference family), with the covariance
inflated by ``inflation**2`` so that ``q`` stays wider than ``pi`` in its tails. Pure
``jax.numpy``; everything is in the unconstrained space of the problem.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import jax
import jax.numpy as jnp


class Gaussian(NamedTuple):
    """``N(mean, chol chol^T)``: ``mean`` ``(dim,)``, lower-triangular ``chol`` ``(dim, dim)``."""

    mean: jax.Array
    chol: jax.Array

    @classmethod
    def standard(cls, dim: int) -> Gaussian:
        return cls(jnp.zeros(dim), jnp.eye(dim))


def log_density(q: Gaussian, z):
    """``log q(z)`` (normalised)."""
    x = jax.scipy.linalg.solve_triangular(q.chol, z - q.mean, lower=True)
    d = z.shape[-1]
    return (-0.5 * jnp.sum(x * x) - jnp.sum(jnp.log(jnp.abs(jnp.diagonal(q.chol))))
            - 0.5 * d * math.log(2 * math.pi))


def draw(q: Gaussian, key):
    """One exact draw from ``q``."""
    return q.mean + q.chol @ jax.random.normal(key, q.mean.shape)


def moment_matched(mean, m2, n, inflation: float, old: Gaussian) -> Gaussian:
    """``q`` refitted to ``n`` draws (Welford ``mean`` and sum of outer products ``m2``),
    covariance times ``inflation**2``; ``old`` where the estimate is not positive definite
    (too few draws or a stuck replica)."""
    cov = m2 / jnp.maximum(n - 1, 1)
    chol = jnp.linalg.cholesky(cov * inflation**2)
    ok = jnp.all(jnp.isfinite(chol)) & jnp.all(jnp.diagonal(chol) > 0) & (n > mean.shape[0] + 2)
    return Gaussian(jnp.where(ok, mean, old.mean), jnp.where(ok, chol, old.chol))
