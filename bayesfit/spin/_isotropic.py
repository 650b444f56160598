"""The multiplet path: isotropic exchange with one g for the whole cluster.

One diagonalisation of every total-spin sector (:mod:`._multiplets`) gives all levels
``E_k`` with their spin ``S_k``. The Zeeman term ``g mu_B B S^z_tot`` then only shifts the
``2S+1`` members of each multiplet, so every field and temperature follows in closed form:

    ln Z(B, T) = logsumexp_S [ a_S(T) + L_S(x) ],   a_S(T) = logsumexp_{k in S} (-E_k / T),
    L_S(x) = ln sum_{m=-S..S} exp(x m),             x = g mu_B B / (k_B T),

and ``M = g <m>``, ``<(S^z)^2> = sum_S p_S S(S+1)/3``. Only eigenvalues are used (no
eigenvectors), so values and gradients are exact at the SU(2) degeneracies; a value-only
call runs eigenvalue-only LAPACK (:mod:`._lapack`).
"""

from __future__ import annotations

import equinox as eqx
import jax
import jax.numpy as jnp
import numpy as np

from ._lapack import eigvalsh
from ._matrices import weighted_sum
from ._multiplets import Sectors
from ._units import MU_B_OVER_K


class IsotropicModel(eqx.Module):
    """Sector matrices and the closed-form thermodynamics built on them.

    The matrices are pytree leaves: the engine passes them to ``jax.jit`` as arguments,
    never as compile-time constants (XLA would fold and copy them: at 16 spins 1/2 that
    took 41 s and 12 GiB).
    """

    mats: tuple  # per sector (n_class, n_S, n_S)
    two_S_tuple: tuple[int, ...] = eqx.field(static=True)

    def __init__(self, sectors: Sectors):
        self.two_S_tuple = tuple(int(x) for x in sectors.two_S)
        self.mats = tuple(jnp.asarray(b) for b in sectors.bond)

    @property
    def two_S(self) -> np.ndarray:
        return np.asarray(self.two_S_tuple)

    @property
    def spin(self):
        return jnp.asarray(self.two_S / 2.0)

    @property
    def m_numpy(self) -> np.ndarray:
        s_max = int(self.two_S.max())
        return np.arange(-s_max, s_max + 1, 2) / 2.0

    @property
    def m_values(self):
        return jnp.asarray(self.m_numpy)

    @property
    def m_mask(self):
        """mask[k, j]: |m_j| <= S_k (m_j of the same parity as S_k by construction)."""
        s_max = int(self.two_S.max())
        two_m = np.arange(-s_max, s_max + 1, 2)
        return jnp.asarray(np.abs(two_m)[None, :] <= self.two_S[:, None])

    def energies(self, jk):
        """Eigenvalues (kelvin) of every sector for couplings ``jk`` (kelvin, with c)."""
        out = []
        for m in self.mats:
            out.append(eigvalsh(weighted_sum(jk, m)))
        return out

    def levels(self, jk):
        """Flat multiplet energies (K), their ``2S`` labels and ``ln(2S+1)`` weights."""
        e = self.energies(jk)
        two_s = np.concatenate(
            [np.full(x.shape[0], ts) for x, ts in zip(e, self.two_S, strict=True)]
        )
        return jnp.concatenate(e), two_s, np.log(two_s + 1.0)

    def sector_log_z(self, energies, t):
        """``a_S(T)`` of the module docstring, shape ``t.shape + (n_sectors,)``.

        Energies are shifted by the global ground energy first (log-sum-exp).
        """
        e0 = jnp.min(jnp.concatenate(energies))
        tt = jnp.asarray(t, float)[..., None]
        return jnp.stack([jax.nn.logsumexp(-(e - e0) / tt, axis=-1) for e in energies], -1)

    def sz2(self, energies, t):
        """``<(S^z_tot)^2>`` at zero field, shape of ``t``."""
        a = self.sector_log_z(energies, t) + jnp.log(2.0 * self.spin + 1.0)
        p = jax.nn.softmax(a, axis=-1)
        return jnp.sum(p * self.spin * (self.spin + 1.0) / 3.0, axis=-1)

    def moment(self, energies, g, b, t):
        """``g <m>`` (mu_B per cluster, along the field) at field ``b`` (T), temperature ``t``."""
        b, t = jnp.broadcast_arrays(jnp.asarray(b, float), jnp.asarray(t, float))
        a = self.sector_log_z(energies, t)  # (..., n_S)
        x = (g * MU_B_OVER_K * b / t)[..., None, None] * self.m_values  # (..., 1, n_m)
        logits = jnp.where(self.m_mask, x, -jnp.inf)  # (..., n_S, n_m)
        l_s = jax.nn.logsumexp(logits, axis=-1)
        m_bar = jnp.sum(jax.nn.softmax(logits, axis=-1) * self.m_values, axis=-1)
        p = jax.nn.softmax(a + l_s, axis=-1)
        return g * jnp.sum(p * m_bar, axis=-1)

    def zeeman_levels(self, energies, g, b):
        """All ``(E_k - g mu_B B m)`` (K) and a validity mask, shape ``b.shape + (n, n_m)``."""
        e = jnp.concatenate(energies)
        two_s = np.concatenate(
            [np.full(x.shape[0], ts) for x, ts in zip(energies, self.two_S, strict=True)]
        )
        mask = jnp.asarray(np.abs(self.m_numpy * 2)[None, :] <= two_s[:, None])
        shift = (g * MU_B_OVER_K * jnp.asarray(b, float))[..., None, None] * self.m_values
        return e[:, None] - shift, mask

    def saturation_field(self, energies, g):
        """Highest field (T) at which the T = 0 ground state changes M (0 if ferromagnetic)."""
        s_top = self.two_S.max() / 2.0
        e_top = jnp.min(energies[int(np.argmax(self.two_S))])
        fields = [
            (e_top - jnp.min(e)) / (g * MU_B_OVER_K * (s_top - ts / 2.0))
            for e, ts in zip(energies, self.two_S, strict=True)
            if ts / 2.0 < s_top
        ]
        return jnp.maximum(jnp.max(jnp.stack(fields)), 0.0) if fields else jnp.zeros(())
