"""Total-S^z blocks: exact diagonalisation when the Zeeman term does not commute with H.

Used for unequal (isotropic) g factors: ``sum_i g_i S^z_i`` commutes with ``S^z_tot`` but
not with the exchange. Every block ``M`` is kept (with unequal g a field breaks the
``M -> -M`` symmetry). Exchange and g being isotropic, the field direction does not
matter. The moment at a field along z is ``-<sum_i g_i S^z_i>`` over all blocks, from one
diagonalisation per field and block whatever the number of temperatures there, through
:func:`._thermal.thermal_average` (gradients exact at degenerate levels). The zero-field
susceptibility is the limit of M/B, see :func:`zero_field_chi`.
"""

from __future__ import annotations

import equinox as eqx
import jax
import jax.numpy as jnp
import numpy as np

from ._fieldmap import map_fields
from ._hilbert import ProductBasis, restrict
from ._lapack import eigvalsh
from ._matrices import weighted_sum
from ._thermal import thermal_average
from ._units import MU_B_OVER_K


def zero_field_chi(moment, t, spin_total: float):
    """chi / (N_A mu_B^2 / k_B) (1/K) from ``moment(B, t)`` (mu_B, field along the axis).

    M/B at ``B0 = 1e-3 k_B T_min / (mu_B max(1, S_tot))`` and at ``B0/2``,
    Richardson-extrapolated: M is odd in B, so ``M/B = chi + c B^2 + O(B^4)`` and
    ``(4 chi(B0/2) - chi(B0)) / 3`` is exact to ``O(x^4)``, ``x = g mu_B S_tot B0 / k_B T``
    <= 2e-3. Each field is an exact diagonalisation, so Van Vleck terms and degenerate levels
    are handled exactly (no perturbation theory). Rounding in M/B limits the relative
    precision to about 1e-16 / x, i.e. 1e-11 at T = 100 T_min.
    """
    b0 = jax.lax.stop_gradient(1e-3 * jnp.min(t) / (MU_B_OVER_K * max(1.0, spin_total)))
    chi_1 = moment(b0, t) / (MU_B_OVER_K * b0)
    chi_2 = moment(0.5 * b0, t) / (MU_B_OVER_K * 0.5 * b0)
    return (4.0 * chi_2 - chi_1) / 3.0


class BlockModel(eqx.Module):
    """Dense exchange matrices and Zeeman diagonals of every S^z block (pytree leaves)."""

    bond: tuple  # per block (n_class, d, d)
    zeeman: tuple  # per block (n_g, d): sum S^z over each g group
    two_m: tuple[int, ...] = eqx.field(static=True)
    spin_total: float = eqx.field(static=True)

    def __init__(self, basis: ProductBasis, bond_ops, g_sites):
        self.spin_total = sum(basis.two_s) / 2.0
        self.two_m = tuple(sorted(set(basis.two_m_total.tolist()), reverse=True))
        sz = [basis.sz(i).diagonal() for i in range(len(basis.two_s))]
        bond, zeeman = [], []
        for tm in self.two_m:
            idx = basis.block_indices(tm)
            d = idx.size
            mats = [restrict(op, idx, idx).toarray() for op in bond_ops]
            bond.append(jnp.asarray(np.stack(mats) if mats else np.zeros((0, d, d))))
            zeeman.append(jnp.asarray(np.array([sum(sz[i][idx] for i in s) for s in g_sites])))
        self.bond, self.zeeman = tuple(bond), tuple(zeeman)

    def hamiltonians(self, jk):
        """Zero-field block matrices for couplings ``jk`` (kelvin)."""
        return [weighted_sum(jk, bond) for bond in self.bond]

    def field_levels(self, jk, gs, b):
        """All eigenvalues (K) at field ``b`` (T, scalar) along z, shape (1, dim)."""
        out = []
        for h, z in zip(self.hamiltonians(jk), self.zeeman, strict=True):
            out.append(eigvalsh(h + jnp.diag(MU_B_OVER_K * b * jnp.einsum("k,kd->d", gs, z))))
        return jnp.concatenate(out)[None]

    def moment_grid(self, jk, gs, fields, temps, *, batch_size: int = 8):
        """``-<sum_i g_i S^z_i>`` per cluster, shape ``temps.shape`` = (n_B, n_T).

        ``fields`` (n_B,) in T along z; row ``k`` of ``temps`` (K) are the temperatures at
        ``fields[k]``. One diagonalisation of every block per field, ``batch_size`` fields
        at a time, with bounded gradient memory (:func:`._fieldmap.map_fields`).
        """
        h0 = self.hamiltonians(jk)
        zg = [jnp.einsum("k,kd->d", gs, z) for z in self.zeeman]

        def one(args):
            field, tt = args
            hs = [h + jnp.diag(MU_B_OVER_K * field * z) for h, z in zip(h0, zg, strict=True)]
            return -thermal_average(hs, zg, tt)

        vector_bytes = 8.0 * fields.shape[0] * sum(z.shape[-1] ** 2 for z in self.zeeman)
        return map_fields(one, (fields, temps), batch_size, vector_bytes)

    def chi(self, jk, gs, t):
        """Zero-field chi_zz in units of N_A mu_B^2 / k_B per cluster, shape of ``t`` (K)."""
        h0 = self.hamiltonians(jk)
        zg = [jnp.einsum("k,kd->d", gs, z) for z in self.zeeman]
        tt = jnp.atleast_1d(jnp.asarray(t, float))

        def moment(field, temps):
            hs = [h + jnp.diag(MU_B_OVER_K * field * z) for h, z in zip(h0, zg, strict=True)]
            return -thermal_average(hs, zg, temps)

        return zero_field_chi(moment, tt.ravel(), self.spin_total).reshape(jnp.shape(t))
