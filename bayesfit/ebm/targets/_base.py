"""The target interface: a tractable energy on {-1, +1}^n with an unknown normaliser.

A target is the Boltzmann distribution ``p(x) = exp(-E(x)) / Z_p`` on spin vectors
``x in {-1, +1}^n``. ``E`` is *dimensionless*: it already contains the inverse temperature,
``E = beta * H`` with ``H`` in units of the coupling ``J``. Targets are equinox modules, so
their arrays (couplings) are pytree leaves and instances of one class and size share a
compiled training step.
"""

from __future__ import annotations

import abc

import equinox as eqx
import jax
import jax.numpy as jnp
from jax import Array

from .._errors import ShapeError


class Target(eqx.Module):
    """Abstract base of every target distribution.

    Subclasses implement :meth:`energy` and the static field ``n``.
    """

    n: eqx.AbstractVar[int]

    @abc.abstractmethod
    def energy(self, x: Array) -> Array:
        """Dimensionless energy ``beta * H(x)`` of spins ``x`` (``..., n``) -> (``...``)."""

    def log_unnormalised(self, x: Array) -> Array:
        """``log p~(x) = -E(x)`` (dimensionless), shape ``x.shape[:-1]``."""
        return -self.energy(x)

    def enumerate(self, **kwargs):
        """Exact enumeration: see :func:`bayesfit.ebm.targets.enumerate_target`."""
        from ._enumerate import enumerate_target

        return enumerate_target(self, **kwargs)

    def sample(self, key: Array, num: int, method=None) -> Array:
        """``num`` samples (``num, n``) in {-1, +1} drawn with ``method``.

        ``method`` is a sampler options object from :mod:`bayesfit.ebm.samplers`
        (``Exact()``, ``Metropolis(...)``, ``ParallelTempering(...)``). ``None`` picks
        :meth:`default_sampler`.
        """
        method = self.default_sampler() if method is None else method
        return method.sample_target(self, key, num)

    def default_sampler(self):
        """Exact sampling by enumeration for ``n <= 20``, parallel tempering above."""
        from ..samplers import Exact, ParallelTempering

        return Exact() if self.n <= 20 else ParallelTempering()


def check_spins(x, n: int, where: str) -> Array:
    """``x`` as an array, after checking it is (``..., n``) with entries in {-1, +1}.

    Raises :class:`ShapeError` naming ``where``. Values are checked only for concrete
    arrays (inside ``jit`` the shape check alone runs).
    """
    shape = getattr(x, "shape", None)
    if shape is None or len(shape) < 1 or shape[-1] != n:
        raise ShapeError(
            f"{where}: expected spins of shape (..., {n}), got shape {shape}. "
            "Pass an array whose last axis has one entry per unit."
        )
    if not isinstance(x, jax.core.Tracer):
        vals = jnp.asarray(x)
        if vals.size and not bool(jnp.all(jnp.abs(vals) == 1)):
            raise ShapeError(
                f"{where}: spins must be -1 or +1, got values in "
                f"[{float(vals.min())}, {float(vals.max())}]. Map 0/1 data with 2*v - 1."
            )
    return jnp.asarray(x)
