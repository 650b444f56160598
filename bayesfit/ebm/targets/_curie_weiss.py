"""Curie-Weiss (mean-field) ferromagnet."""

from __future__ import annotations

import equinox as eqx
import jax.numpy as jnp
from jax import Array

from .._errors import OptionError
from ._base import Target


class CurieWeiss(Target):
    """Curie-Weiss model ``H(s) = -(J/n) sum_{i<j} s_i s_j - h sum_i s_i``.

    Args:
        n: number of spins.
        beta: inverse temperature in units of ``1/J`` (critical point ``beta_c = 1/J``
            for ``h = 0``; below it, ``beta > 1``, the distribution has two modes
            ``m = +-m*``).
        J: coupling (energy unit), default 1.
        h: uniform field in the same units.

    ``energy`` returns the dimensionless ``beta * H``. Uses ``sum_{i<j} s_i s_j =
    (M**2 - n) / 2`` with ``M = sum_i s_i``, so it is O(n) per state.

    Reference: e.g. H. Nishimori & G. Ortiz, *Elements of Phase Transitions and Critical
    Phenomena* (OUP 2011), ch. 1.
    """

    n: int = eqx.field(static=True)
    beta: Array
    J: Array
    h: Array

    def __init__(self, n: int, beta: float = 1.5, J: float = 1.0, h: float = 0.0):
        if int(n) < 1:
            raise OptionError(f"CurieWeiss: n must be a positive integer, got {n}.")
        self.n = int(n)
        self.beta = jnp.asarray(beta, dtype=jnp.float64)
        self.J = jnp.asarray(J, dtype=jnp.float64)
        self.h = jnp.asarray(h, dtype=jnp.float64)

    def energy(self, x: Array) -> Array:
        m = jnp.sum(x, axis=-1)
        pair = 0.5 * (m * m - self.n)
        return self.beta * (-(self.J / self.n) * pair - self.h * m)
