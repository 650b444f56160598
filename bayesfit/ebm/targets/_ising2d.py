"""Nearest-neighbour Ising model on an L x L torus."""

from __future__ import annotations

import equinox as eqx
import jax.numpy as jnp
from jax import Array

from .._errors import OptionError
from ._base import Target

#: Onsager's critical inverse temperature of the square lattice, ``beta_c J``.
BETA_C_2D = 0.5 * jnp.log(1.0 + jnp.sqrt(2.0))


class Ising2D(Target):
    """Ising ferromagnet ``H(s) = -J sum_<ij> s_i s_j - h sum_i s_i`` on an L x L torus.

    Spins are stored row-major: unit ``i = r * L + c``. Each site has a right and a down
    bond with periodic wrap, so there are ``2 n`` bonds (for ``L = 2`` the two bonds of a
    pair coincide and are counted twice, the usual periodic convention).

    Args:
        L: linear size (``n = L**2``), at least 2.
        beta: inverse temperature in units of ``1/J``; ``beta_c = ln(1 + sqrt 2) / 2``
            ~ 0.4407 (Onsager).
        J, h: coupling and field (energy units).

    Reference: L. Onsager, Phys. Rev. 65, 117 (1944).
    """

    n: int = eqx.field(static=True)
    L: int = eqx.field(static=True)
    beta: Array
    J: Array
    h: Array

    def __init__(self, L: int, beta: float = 0.6, J: float = 1.0, h: float = 0.0):
        if int(L) < 2:
            raise OptionError(f"Ising2D: L must be at least 2, got {L}.")
        self.L = int(L)
        self.n = self.L**2
        self.beta = jnp.asarray(beta, dtype=jnp.float64)
        self.J = jnp.asarray(J, dtype=jnp.float64)
        self.h = jnp.asarray(h, dtype=jnp.float64)

    def energy(self, x: Array) -> Array:
        g = x.reshape(x.shape[:-1] + (self.L, self.L))
        bonds = jnp.sum(g * jnp.roll(g, 1, axis=-1), axis=(-2, -1)) + jnp.sum(
            g * jnp.roll(g, 1, axis=-2), axis=(-2, -1)
        )
        return self.beta * (-self.J * bonds - self.h * jnp.sum(x, axis=-1))
