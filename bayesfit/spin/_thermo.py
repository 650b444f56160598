"""Thermodynamics of a list of levels with degeneracies: ln Z, heat capacity, entropy, gap.

All energies and temperatures in kelvin. Every sum is a log-sum-exp after subtracting the
ground energy, so the results are finite down to T -> 0; derivatives use only eigenvalues,
so they are exact across degenerate levels. With ``e = E - E_0``, ``beta = 1/T``:

    C / k_B = beta^2 (<e^2> - <e>^2),      S / k_B = ln Z_e + beta <e>

per cluster (``Z_e`` the partition function of the shifted levels; the shift cancels in S).
"""

from __future__ import annotations

from typing import NamedTuple

import jax
import jax.numpy as jnp


class Spectrum(NamedTuple):
    """Zero-field levels sorted by energy.

    ``energy``: level energies in the cluster's energy unit (absolute, not shifted);
    ``spin``: total spin S of each level (NaN where S is not a good quantum number, i.e.
    with anisotropy); ``magnetic``: M of each level (NaN for a whole multiplet, whose 2S+1
    members are degenerate at zero field); ``degeneracy``: states per entry (2S+1 or 1).
    """

    energy: jax.Array
    spin: jax.Array
    magnetic: jax.Array
    degeneracy: jax.Array


def energy_moments(e, log_deg, t):
    """``(ln Z_e, <e>, var(e))`` at temperatures ``t`` (K), levels ``e`` (K) with weights."""
    e = e - jnp.min(e)
    tt = jnp.asarray(t, float)[..., None]
    logits = -e / tt + log_deg
    log_z = jax.nn.logsumexp(logits, axis=-1)
    p = jax.nn.softmax(logits, axis=-1)
    mean = jnp.sum(p * e, axis=-1)
    var = jnp.sum(p * (e - mean[..., None]) ** 2, axis=-1)
    return log_z, mean, var


def heat_capacity(e, log_deg, t):
    """C / k_B per cluster (dimensionless) at ``t`` (K)."""
    _, _, var = energy_moments(e, log_deg, t)
    return var / jnp.asarray(t, float) ** 2


def entropy(e, log_deg, t):
    """S / k_B per cluster at ``t`` (K)."""
    log_z, mean, _ = energy_moments(e, log_deg, t)
    return log_z + mean / jnp.asarray(t, float)


def excitation_gap(e, rel_tol: float = 1e-9):
    """Lowest ``E - E_0`` above the ground level (levels within ``rel_tol`` count as one)."""
    e0 = jnp.min(e)
    scale = jax.lax.stop_gradient(jnp.max(jnp.abs(e - e0)) + 1e-300)
    above = (e - e0) > rel_tol * scale
    return jnp.min(jnp.where(above, e - e0, jnp.inf))


def ground_weights(e, log_deg, rel_tol: float = 1e-9):
    """Weights (sum 1, no gradient) of the levels degenerate with the ground level."""
    e0 = jnp.min(e)
    scale = jnp.max(jnp.abs(e - e0)) + 1e-300
    w = jnp.where((e - e0) <= rel_tol * scale, jnp.exp(log_deg), 0.0)
    return jax.lax.stop_gradient(w / jnp.sum(w))
