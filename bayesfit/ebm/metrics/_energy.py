"""Energy-fit error: how well the RBM free energy matches the target energy, Z-free."""

from __future__ import annotations

from typing import NamedTuple

import jax.numpy as jnp
from jax import Array


class EnergyFit(NamedTuple):
    """``weighted = sd_p[F - E]`` (p-weighted) and ``uniform = sd[F - E]`` over all
    states (or over the given samples), both in nats (units of kT). ``F - E`` is
    compared after removing its mean, so neither partition function matters."""

    weighted: Array
    uniform: Array


def _sd(w, f):
    m = jnp.sum(w * f)
    return jnp.sqrt(jnp.sum(w * (f - m) ** 2))


def energy_fit_exact(energy: Array, free_energy: Array, log_p: Array) -> EnergyFit:
    """From enumerations: target energies ``E``, RBM free energies ``F``, ``log p``
    (each ``2**n,``)."""
    d = free_energy - energy
    n = d.shape[0]
    return EnergyFit(weighted=_sd(jnp.exp(log_p), d), uniform=_sd(jnp.full(n, 1.0 / n), d))


def energy_fit_samples(energy: Array, free_energy: Array) -> Array:
    """``sd[F - E]`` over held-out target samples: the large-n estimate of the weighted
    error (nats)."""
    d = free_energy - energy
    return jnp.std(d)
