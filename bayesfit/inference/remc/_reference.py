"""The Gaussian reference ``q = N(mean, chol chol^T)`` of variational parallel tempering.

Surjanovic, Syed, Bouchard-Cote & Campbell (2022), "Parallel tempering with a variational
reference", NeurIPS: tempering along ``q**(1-b) pi**b`` from a reference close to the
posterior ``pi`` has a far smaller communication barrier than tempering from the prior when
the posterior is much narrower than the prior. ``q`` starts at the Laplace approximation
of the MAP (:mod:`._start`) and is refitted during warm-up by moment matching to the
draws of the ``b = 1`` replica (their Gaussian reference family), with the covariance
inflated by ``inflation**2`` so that ``q`` stays wider than ``pi`` in its tails. Pure
``jax.numpy``; everything is in the unconstrained space of the problem.

When the multi-start MAP search finds several distinct optima that carry posterior weight
(mirror modes, a ferro/antiferro swap), one Gaussian covers one of them and the others are
reached only through the prior leg. The reference is then a :class:`Mixture` of the
Laplace approximations of those optima (weights from their Laplace evidences, with a
floor), so that the exact draws at ``t = 0`` land in every mode and the swaps carry them
to the posterior. A mixture is not refitted during warm-up (moment matching would merge
its components into one broad Gaussian); it is refitted per component to the pilot's draws
(:func:`._start.pooled_start`). Any normalised ``q`` leaves the posterior and the
evidence exact; ``q`` only sets how fast the ladder mixes.
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


class Mixture(NamedTuple):
    """``sum_m w_m N(mean_m, chol_m chol_m^T)``: normalised ``log_w`` ``(M,)``, ``mean``
    ``(M, dim)``, ``chol`` ``(M, dim, dim)``. The reference of every run is one; ``M = 1``
    is the single Gaussian (same density, same draws)."""

    log_w: jax.Array
    mean: jax.Array
    chol: jax.Array

    @classmethod
    def of(cls, q: Gaussian) -> Mixture:
        return cls(jnp.zeros(1), q.mean[None], q.chol[None])

    @property
    def components(self) -> int:
        return self.log_w.shape[-1]

    def component(self, m: int) -> Gaussian:
        return Gaussian(self.mean[m], self.chol[m])


def log_density(q: Gaussian | Mixture, z):
    """``log q(z)`` (normalised)."""
    if isinstance(q, Mixture):
        if q.components == 1:
            return log_density(q.component(0), z)
        each = jax.vmap(lambda m, c: log_density(Gaussian(m, c), z))(q.mean, q.chol)
        return jax.nn.logsumexp(q.log_w + each)
    x = jax.scipy.linalg.solve_triangular(q.chol, z - q.mean, lower=True)
    d = z.shape[-1]
    return (-0.5 * jnp.sum(x * x) - jnp.sum(jnp.log(jnp.abs(jnp.diagonal(q.chol))))
            - 0.5 * d * math.log(2 * math.pi))


def draw(q: Gaussian | Mixture, key):
    """One exact draw from ``q``."""
    if isinstance(q, Mixture):
        if q.components == 1:
            return draw(q.component(0), key)
        k_pick, k_draw = jax.random.split(key)
        m = jax.random.categorical(k_pick, q.log_w)
        return draw(Gaussian(q.mean[m], q.chol[m]), k_draw)
    return q.mean + q.chol @ jax.random.normal(key, q.mean.shape)


def moment_matched(mean, m2, n, inflation: float, old: Gaussian) -> Gaussian:
    """``q`` refitted to ``n`` draws (Welford ``mean`` and sum of outer products ``m2``),
    covariance times ``inflation**2``; ``old`` where the estimate is not positive definite
    (too few draws or a stuck replica)."""
    cov = m2 / jnp.maximum(n - 1, 1)
    chol = jnp.linalg.cholesky(cov * inflation**2)
    ok = jnp.all(jnp.isfinite(chol)) & jnp.all(jnp.diagonal(chol) > 0) & (n > mean.shape[0] + 2)
    return Gaussian(jnp.where(ok, mean, old.mean), jnp.where(ok, chol, old.chol))
