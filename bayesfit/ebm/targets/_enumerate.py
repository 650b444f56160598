"""Exact enumeration of a target: energies, probabilities and log Z for n up to ~22."""

from __future__ import annotations

from typing import NamedTuple

import equinox as eqx
import jax
import jax.numpy as jnp
from jax import Array

from .._states import DEFAULT_MAX_BYTES, check_enumerable, index_to_spins, map_states


class Enumeration(NamedTuple):
    """All ``2**n`` states of a target, in the index order of ``bayesfit.ebm`` states.

    Attributes:
        energy: (``2**n``,) dimensionless energies ``beta * H``.
        log_p: (``2**n``,) normalised log-probabilities (nats).
        log_Z: scalar ``log sum exp(-E)``.
    """

    energy: Array
    log_p: Array
    log_Z: Array

    @property
    def n(self) -> int:
        return int(self.energy.shape[0]).bit_length() - 1

    def states(self) -> Array:
        """The (``2**n, n``) spin matrix (materialised; fine for n <= ~20)."""
        return index_to_spins(jnp.arange(self.energy.shape[0], dtype=jnp.int64), self.n)

    @property
    def p(self) -> Array:
        return jnp.exp(self.log_p)


@eqx.filter_jit
def _enumerate(target) -> Enumeration:
    energy = map_states(target.energy, target.n)
    log_Z = jax.nn.logsumexp(-energy)
    return Enumeration(energy=energy, log_p=-energy - log_Z, log_Z=log_Z)


def enumerate_target(target, *, max_bytes: int = DEFAULT_MAX_BYTES) -> Enumeration:
    """Enumerate all ``2**target.n`` states of ``target``.

    Refuses (:class:`bayesfit.ebm.EnumerationTooLarge`, with the memory estimate) when the
    enumeration would exceed ``max_bytes``. Peak memory is a few ``2**n`` float64 arrays;
    the time is ``2**n`` energy evaluations (n = 20: ~1e6 states, about a second on CPU).
    """
    check_enumerable(target.n, what=type(target).__name__, max_bytes=max_bytes)
    return _enumerate(target)
