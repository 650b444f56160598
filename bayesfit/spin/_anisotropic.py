"""The full-space route: clusters with anisotropy, in a field along any direction.

With single-ion terms ``D_i [(S^z_i)^2 - S_i(S_i+1)/3] + E_i [(S^x_i)^2 - (S^y_i)^2]``, XXZ
exchange ``c [J (S^x S^x + S^y S^y) + J_z S^z S^z]`` and axial g tensors
``g_par S^z, g_perp S^x,y`` (one frame for all, see :mod:`._directions`), neither
``S^z_tot`` nor ``S^2`` is conserved in a general field, so each field and direction is
diagonalised in the full product space:

    H(B, theta) = H_0(+-E) + mu_B B sum_k [cos(theta) g_par,k S^z_k + sin(theta) g_perp,k S^x_k].

The moment along the field is ``-<dH/d(mu_B B)>`` (Hellmann-Feynman) from one ``eigh`` per
field and direction, whatever the number of temperatures at that field (they share the
eigensystem, :func:`._thermal.thermal_average`, gradients exact at degeneracies). Without
E, the powder average is an integral over ``u = cos(theta)`` in [0, 1] (a rotation by pi
about x maps theta to pi - theta), by Gauss-Legendre quadrature (``powder_points``). The
zero-field susceptibility is the diagonal tensor ``(chi_xx, chi_yy, chi_zz)`` from
:func:`._blocks.zero_field_chi` (powder: its trace / 3, exact). Levels for C and S come
from eigenvalue-only LAPACK (:func:`._lapack.eigvalsh`).

Cost: one full diagonalisation per (field, direction) (a 4-spin S = 1 cluster has
dimension 81; a 6-site S = 1/2, 1 ring 216). Reference: Kahn, *Molecular Magnetism*
(VCH 1993), ch. 2 and 11, for anisotropic clusters and powder averages.
"""

from __future__ import annotations

from typing import NamedTuple

import equinox as eqx
import jax
import jax.numpy as jnp
import numpy as np

from ._blocks import zero_field_chi
from ._fieldmap import map_fields
from ._hilbert import ProductBasis
from ._lapack import eigvalsh
from ._matrices import weighted_sum
from ._thermal import thermal_average
from ._units import MU_B_OVER_K


class Coefficients(NamedTuple):
    """Hamiltonian coefficients in kelvin (``jk``: c J per class; ``jz``: c (J_z - J) per
    XXZ class; ``dk``, ``ek`` per group) and g factors per g group (``g_par``, ``g_perp``)."""

    jk: jax.Array
    jz: jax.Array
    g_par: jax.Array
    g_perp: jax.Array
    dk: jax.Array
    ek: jax.Array


def _stack(mats, dim):
    return jnp.asarray(np.stack(mats) if mats else np.zeros((0, dim, dim)))


def _diags(vecs, dim):
    return jnp.asarray(np.array(vecs).reshape(len(vecs), dim))


class FullSpaceModel(eqx.Module):
    """Dense full-space matrices (pytree leaves: arguments of the jitted engine)."""

    bond: jax.Array  # (n_class, d, d) S_i.S_j summed over each class
    zz: jax.Array  # (n_xxz, d) S^z_i S^z_j of each XXZ class (diagonal)
    axial: jax.Array  # (n_D, d) diagonal
    rhombic: jax.Array  # (n_E, d, d)
    mz: jax.Array  # (n_g, d) sum S^z over each g group (diagonal)
    mx: jax.Array  # (n_g, d, d) sum S^x over each g group
    spin_total: float = eqx.field(static=True)

    def __init__(self, basis: ProductBasis, bond_ops, spec):
        n, d = len(basis.two_s), basis.dim
        self.spin_total = sum(basis.two_s) / 2.0
        self.bond = _stack([op.toarray() for op in bond_ops], d)
        sz = [basis.sz(i).diagonal() for i in range(n)]
        self.zz = _diags(
            [sum(sz[i] * sz[j] for i, j in spec.bonds[c]) for c in spec.xxz_classes], d
        )
        ax = [basis.axial(i).diagonal() for i in range(n)]
        self.axial = _diags([sum(ax[i] for i in s) for s in spec.d_sites], d)
        rh = []
        for sites in spec.e_sites:  # S_x^2 - S_y^2 = (S+^2 + S-^2) / 2
            up2 = sum(basis.splus(i) @ basis.splus(i) for i in sites)
            rh.append((0.5 * (up2 + up2.T)).toarray())
        self.rhombic = _stack(rh, d)
        self.mz = _diags([sum(sz[i] for i in s) for s in spec.g_sites], d)
        sx = []
        for s in spec.g_sites:
            up = sum(basis.splus(i) for i in s)
            sx.append((0.5 * (up + up.T)).toarray())
        self.mx = _stack(sx, d)

    def hamiltonian(self, co: Coefficients, flip: float = 1.0):
        """Zero-field H (K) with E multiplied by ``flip`` (+1, or -1 for the y-z plane)."""
        h = weighted_sum(co.jk, self.bond)
        diag = jnp.einsum("k,kd->d", co.dk, self.axial) + jnp.einsum("k,kd->d", co.jz, self.zz)
        h = h + jnp.diag(diag)
        if self.rhombic.shape[0]:
            h = h + flip * weighted_sum(co.ek, self.rhombic)
        return h

    def zeeman(self, co: Coefficients, u, s):
        """``dH / d(mu_B B)`` (per kelvin/tesla / MU_B_OVER_K) for the field at (u, s)."""
        return u * jnp.diag(weighted_sum(co.g_par, self.mz)) + s * weighted_sum(
            co.g_perp, self.mx
        )

    def levels(self, co: Coefficients):
        """Zero-field eigenvalues (K), ascending."""
        return eigvalsh(self.hamiltonian(co))

    def moment_grid(self, co: Coefficients, fields, temps, nodes, *, batch_size: int = 8):
        """Moment along the field (mu_B per cluster), shape ``temps.shape`` = (n_B, n_T).

        ``fields`` (n_B,) in T; row ``k`` of ``temps`` (K) are the temperatures measured at
        ``fields[k]``; ``nodes`` the static directions (:func:`._directions.field_nodes`).
        One diagonalisation per field and node, ``batch_size`` fields at a time; a gradient
        keeps at most one chunk's working set (:func:`._fieldmap.map_fields`).
        """
        out = 0.0
        vector_bytes = 8.0 * len(nodes) * fields.shape[0] * self.bond.shape[-1] ** 2
        for node in nodes:
            h0 = self.hamiltonian(co, node.flip)
            a = self.zeeman(co, node.u, node.s)

            def one(args, h0=h0, a=a):
                field, tt = args
                return -thermal_average([h0 + MU_B_OVER_K * field * a], [a], tt)

            vals = map_fields(one, (fields, temps), batch_size, vector_bytes)
            out = out + node.weight * vals
        return out

    def chi_axis(self, co: Coefficients, t, axis: str):
        """Zero-field chi along ``axis`` ('x', 'y', 'z') in N_A mu_B^2 / k_B per cluster."""
        u, s, flip = {"z": (1.0, 0.0, 1.0), "x": (0.0, 1.0, 1.0), "y": (0.0, 1.0, -1.0)}[axis]
        h0 = self.hamiltonian(co, flip)
        a = self.zeeman(co, u, s)
        return zero_field_chi(
            lambda field, temps: -thermal_average([h0 + MU_B_OVER_K * field * a], [a], temps),
            t,
            self.spin_total,
        )

    def field_levels(self, co: Coefficients, b, nodes):
        """Eigenvalues (K) at field ``b`` (T, scalar) for each node, shape (n_nodes, d)."""
        return jnp.stack(
            [
                eigvalsh(
                    self.hamiltonian(co, node.flip)
                    + MU_B_OVER_K * b * self.zeeman(co, node.u, node.s)
                )
                for node in nodes
            ]
        )
