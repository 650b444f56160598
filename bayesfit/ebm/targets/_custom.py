"""A target from any user energy function."""

from __future__ import annotations

from collections.abc import Callable

import equinox as eqx
import jax
import jax.numpy as jnp
from jax import Array

from .._errors import OptionError, ShapeError
from ._base import Target


class CustomTarget(Target):
    """Target with a user energy ``energy_fn(s) -> scalar`` on one spin vector ``s``.

    ``energy_fn`` must be JAX-traceable and return the *dimensionless* energy
    (``beta * H``); it is vmapped over leading axes. Its identity is static, so targets
    built from the same function object share compiled code.

    Args:
        energy_fn: callable ``(n,) -> ()``.
        n: number of spins.
        name: label used in tables.
    """

    n: int = eqx.field(static=True)
    energy_fn: Callable[[Array], Array] = eqx.field(static=True)
    name: str = eqx.field(static=True)

    def __init__(self, energy_fn: Callable[[Array], Array], n: int, name: str = "custom"):
        if not callable(energy_fn):
            raise OptionError(f"CustomTarget: energy_fn must be callable, got {energy_fn!r}.")
        self.energy_fn = energy_fn
        self.n = int(n)
        self.name = name
        out = jax.eval_shape(energy_fn, jax.ShapeDtypeStruct((self.n,), jnp.float64))
        if out.shape != ():
            raise ShapeError(
                f"CustomTarget {name!r}: energy_fn must map one ({n},) spin vector to a "
                f"scalar, got output shape {out.shape}. Batch dimensions are added here."
            )

    def energy(self, x: Array) -> Array:
        flat = x.reshape((-1, self.n))
        return jax.vmap(self.energy_fn)(flat).reshape(x.shape[:-1])
