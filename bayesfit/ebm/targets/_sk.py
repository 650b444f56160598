"""Sherrington-Kirkpatrick spin glass."""

from __future__ import annotations

import equinox as eqx
import jax
import jax.numpy as jnp
from jax import Array

from .._errors import OptionError, ShapeError
from ._base import Target


class SK(Target):
    """Sherrington-Kirkpatrick model ``H(s) = -sum_{i<j} J_ij s_i s_j - sum_i h_i s_i``.

    Couplings ``J_ij ~ N(0, 1/n)`` (i < j), symmetric with zero diagonal, drawn from
    ``jax.random.key(seed)``; the spin-glass transition is at ``beta_c = 1`` for ``h = 0``.

    Args:
        n: number of spins.
        beta: inverse temperature (units of ``sqrt(n) / sd(J_ij)``, i.e. of the SK scale).
        seed: integer seed of the coupling instance.
        h: optional field vector (``n,``), default zero.

    Use :meth:`from_couplings` for a given coupling matrix. ``energy`` returns the
    dimensionless ``beta * H``.

    Reference: D. Sherrington & S. Kirkpatrick, Phys. Rev. Lett. 35, 1792 (1975).
    """

    n: int = eqx.field(static=True)
    beta: Array
    J: Array
    h: Array

    def __init__(self, n: int, beta: float = 2.0, seed: int = 7, h=None, *, J=None):
        if int(n) < 2:
            raise OptionError(f"SK: n must be at least 2, got {n}.")
        self.n = int(n)
        self.beta = jnp.asarray(beta, dtype=jnp.float64)
        if J is None:
            g = jax.random.normal(jax.random.key(seed), (self.n, self.n)) / jnp.sqrt(self.n)
            upper = jnp.triu(g, k=1)
            J = upper + upper.T
        J = jnp.asarray(J, dtype=jnp.float64)
        if J.shape != (self.n, self.n) or not bool(jnp.allclose(J, J.T)):
            raise ShapeError(
                f"SK: couplings must be a symmetric ({n}, {n}) matrix, got shape {J.shape}."
            )
        self.J = J * (1.0 - jnp.eye(self.n))
        self.h = jnp.zeros(self.n) if h is None else jnp.asarray(h, dtype=jnp.float64)
        if self.h.shape != (self.n,):
            raise ShapeError(f"SK: field h must have shape ({n},), got {self.h.shape}.")

    @classmethod
    def from_couplings(cls, J, beta: float = 1.0, h=None) -> SK:
        """SK-type target with a given symmetric coupling matrix ``J`` (``n, n``)."""
        J = jnp.asarray(J, dtype=jnp.float64)
        if J.ndim != 2:
            raise ShapeError(f"SK.from_couplings: J must be a matrix, got shape {J.shape}.")
        return cls(J.shape[0], beta=beta, h=h, J=J)

    def energy(self, x: Array) -> Array:
        pair = 0.5 * jnp.einsum("...i,ij,...j->...", x, self.J, x)
        return self.beta * (-pair - x @ self.h)
