"""Mixture of product Bernoulli distributions on {-1, +1}^n (normalised: log Z = 0)."""

from __future__ import annotations

import equinox as eqx
import jax
import jax.numpy as jnp
from jax import Array

from .._errors import OptionError, ShapeError
from ._base import Target


class BernoulliMixture(Target):
    """``p(s) = sum_k pi_k prod_i mu_ki^[s_i=+1] (1 - mu_ki)^[s_i=-1]``.

    A tractable multi-modal target whose normaliser is known exactly (``log Z = 0``;
    ``energy = -log p``), with exact ancestral sampling at any ``n``.

    Args:
        mu: (``K, n``) probabilities that each spin is +1 in each component, in (0, 1).
        weights: (``K,``) mixture weights (normalised here); default uniform.

    Use :meth:`random` for K components centred on random spin patterns.
    """

    n: int = eqx.field(static=True)
    logit: Array
    log_weights: Array

    def __init__(self, mu, weights=None):
        mu = jnp.asarray(mu, dtype=jnp.float64)
        if mu.ndim != 2:
            raise ShapeError(f"BernoulliMixture: mu must be (K, n), got shape {mu.shape}.")
        if not bool(jnp.all((mu > 0) & (mu < 1))):
            raise OptionError(
                "BernoulliMixture: every mu must lie strictly inside (0, 1); clip it, "
                "e.g. jnp.clip(mu, 1e-3, 1 - 1e-3)."
            )
        K, self.n = mu.shape
        w = jnp.ones(K) if weights is None else jnp.asarray(weights, dtype=jnp.float64)
        if w.shape != (K,) or not bool(jnp.all(w > 0)):
            raise ShapeError(f"BernoulliMixture: weights must be ({K},) and positive.")
        self.logit = jnp.log(mu) - jnp.log1p(-mu)
        self.log_weights = jnp.log(w) - jnp.log(jnp.sum(w))

    @classmethod
    def random(cls, n: int, K: int = 4, *, seed: int = 0, flip: float = 0.1):
        """K components centred on random patterns; each spin flipped w.p. ``flip``."""
        patterns = jax.random.rademacher(jax.random.key(seed), (K, n), dtype=jnp.float64)
        return cls(jnp.where(patterns > 0, 1.0 - flip, flip))

    def log_prob(self, x: Array) -> Array:
        """Normalised ``log p(x)`` (nats)."""
        # log Bern(s | mu) = s * logit / 2 - log(2 cosh(logit / 2)) for s in {-1, +1}
        half = 0.5 * self.logit
        comp = x @ half.T - jnp.sum(jnp.logaddexp(half, -half), axis=-1)
        return jax.nn.logsumexp(comp + self.log_weights, axis=-1)

    def energy(self, x: Array) -> Array:
        return -self.log_prob(x)

    def sample_ancestral(self, key: Array, num: int) -> Array:
        """Exact iid samples (``num, n``): component, then independent spins."""
        kc, ks = jax.random.split(key)
        k = jax.random.categorical(kc, self.log_weights, shape=(num,))
        up = jax.random.bernoulli(ks, jax.nn.sigmoid(self.logit[k]))
        return jnp.where(up, 1.0, -1.0)

    def default_sampler(self):
        from ..samplers import Ancestral

        return Ancestral()
