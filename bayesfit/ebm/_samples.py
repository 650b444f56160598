"""Weighted sample sets: the common currency of samplers, objectives and metrics."""

from __future__ import annotations

from typing import NamedTuple

import jax.numpy as jnp
from jax import Array


class Samples(NamedTuple):
    """Spin configurations with normalised weights.

    An empirical sample set has uniform weights ``1/N``; an exact enumeration carries the
    probabilities as weights. Expectations are ``sum(w * f(x))`` in both cases.

    Attributes:
        x: (``N, n``) spins in {-1, +1}.
        w: (``N,``) non-negative weights summing to 1.
    """

    x: Array
    w: Array

    @classmethod
    def uniform(cls, x: Array) -> Samples:
        x = jnp.asarray(x, dtype=jnp.float64)
        return cls(x=x, w=jnp.full(x.shape[0], 1.0 / x.shape[0]))
