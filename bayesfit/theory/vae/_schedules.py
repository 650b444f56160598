"""KL-weight schedules beta(t) for the online linear VAE.

A schedule is a small pytree (``equinox.Module``): its numbers are leaves, so the ODE
solution is differentiable with respect to them (e.g. the annealing rate ``gamma``).
``t`` is the continuous time of the online dynamics, t = (SGD step) / N.

Reference: Y. Ichikawa and K. Hukushima, "Learning dynamics in linear VAE: posterior
collapse threshold, superfluous latent space pitfalls, and speedup with KL annealing",
AISTATS 2024, arXiv:2310.15440 (section on KL annealing).
"""

from __future__ import annotations

import equinox as eqx
import jax.numpy as jnp


class Schedule(eqx.Module):
    """Base class: ``schedule(t) -> beta(t)``; ``schedule.final`` is beta as t -> inf."""

    def __call__(self, t):
        raise NotImplementedError

    @property
    def final(self):
        raise NotImplementedError


class Constant(Schedule):
    """beta(t) = beta (dimensionless KL weight)."""

    beta: float | jnp.ndarray

    def __call__(self, t):
        return jnp.asarray(self.beta, dtype=jnp.float64) + 0.0 * t

    @property
    def final(self):
        return self.beta


class Linear(Schedule):
    """Linear warm-up beta(t) = beta_f * min(gamma t, 1).

    ``beta_f``: final KL weight (dimensionless); ``gamma``: warm-up rate (1 / time unit,
    time = SGD steps / N); the warm-up ends at t = 1/gamma.
    """

    beta_f: float | jnp.ndarray
    gamma: float | jnp.ndarray

    def __call__(self, t):
        return self.beta_f * jnp.minimum(self.gamma * t, 1.0)

    @property
    def final(self):
        return self.beta_f


class Tanh(Schedule):
    """Smooth annealing beta(t) = beta_f * tanh(gamma t) (the schedule of arXiv:2310.15440).

    ``beta_f``: final KL weight; ``gamma``: annealing rate (1 / time unit).
    """

    beta_f: float | jnp.ndarray
    gamma: float | jnp.ndarray

    def __call__(self, t):
        return self.beta_f * jnp.tanh(self.gamma * t)

    @property
    def final(self):
        return self.beta_f
