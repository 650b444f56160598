"""The computational core of a :class:`~bayesfit.spin.Cluster`: pure functions of params.

An :class:`Engine` owns the matrices of one diagonalisation route (``multiplet``,
``blocks`` or ``powder``) and turns a parameter dict into observables in internal units
(emu/mol, mu_B/f.u., C/k_B, K). It does no input checking and no unit conversion: the
public class validates on the host, then calls these functions through ``jax.jit``.
"""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np

from . import _additive, _thermo
from ._anisotropic import PowderModel
from ._blocks import BlockModel
from ._checks import check_params
from ._cluster import ClusterSpec
from ._hilbert import ProductBasis
from ._isotropic import IsotropicModel
from ._multiplets import build_sectors
from ._units import CURIE_CGS, ENERGY_TO_K, MU_B_MOLAR_CGS, TESLA_PER_OE


class Engine:
    """Matrices of one cluster and its observables as functions of a parameter dict."""

    def __init__(
        self, spec: ClusterSpec, path: str, *, imp_two_s: int, powder_points: int, where: str = ""
    ):
        self.spec, self.path, self.where, self.imp_two_s = spec, path, where, imp_two_s
        self.to_k = ENERGY_TO_K[spec.energy_unit]
        basis = ProductBasis(spec.two_s)
        ops = [sum(basis.exchange(i, j) for i, j in bonds) for bonds in spec.bonds]
        self.iso = self.blocks = self.powder = None
        if path != "powder":
            self.iso = IsotropicModel(build_sectors(basis, ops))
        if path != "multiplet":
            self.blocks = BlockModel(basis, ops, spec.g_sites, spec.d_sites)
        if path == "powder":
            self.powder = PowderModel(basis, ops, spec.g_sites, spec.d_sites, powder_points)
        self.site_counts = np.array([len(s) for s in spec.g_sites], float)

    def unpack(self, params):
        """``(jk, gs, dk, g_mean)``: couplings c*J and D in K, g per group, mean site g."""
        check_params(params, self.spec.parameter_names, self.where)
        sp = self.spec

        def stack(names, scale=1.0):
            if not names:
                return jnp.zeros(0)
            return jnp.stack([jnp.asarray(params[n], float) for n in names]) * scale

        gs = stack(sp.g_names)
        return (
            stack(sp.coupling_names, sp.prefactor * self.to_k),
            gs,
            stack(sp.d_names, self.to_k),
            jnp.sum(gs * self.site_counts) / sp.n_sites,
        )

    # ------------------------------------------------------------------ cluster parts
    def levels(self, jk, dk):
        """Zero-field levels (K), 2S labels (NaN if not conserved), 2M labels, ln degeneracy."""
        if self.iso is not None:
            e, two_s, log_deg = self.iso.levels(jk)
            return e, two_s, np.full(two_s.shape, np.nan), log_deg
        blocks, two_m = self.blocks.levels(jk, dk)
        return jnp.concatenate(blocks), np.full(two_m.shape, np.nan), two_m, np.zeros(two_m.size)

    def chi_cluster(self, jk, gs, dk, t):
        """Zero-field chi of the cluster alone, emu/mol per formula unit."""
        if self.path == "multiplet":
            val = gs[0] ** 2 * self.iso.sz2(self.iso.energies(jk), t) / t
        else:
            val = (self.blocks if self.path == "blocks" else self.powder).chi(jk, gs, dk, t)
        return CURIE_CGS * val / self.spec.formula_units

    def moment_cluster(self, jk, gs, dk, b, t):
        """Moment of the cluster alone along the field, mu_B per formula unit."""
        if self.path == "multiplet":
            val = self.iso.moment(self.iso.energies(jk), gs[0], b, t)
        elif self.path == "blocks":
            val = self.blocks.moment_z(jk, gs, dk, b, t)
        else:
            val = self.powder.moment(jk, gs, dk, b, t)
        return val / self.spec.formula_units

    # ------------------------------------------------------------------ observables
    def susceptibility(self, params, t, field):
        """chi (emu/mol per f.u.) at ``t`` (K); zero field when ``field`` is None, else M/H."""
        jk, gs, dk, g_mean = self.unpack(params)
        if field is None:
            chi_cl = self.chi_cluster(jk, gs, dk, t)
        else:
            m_cl = self.moment_cluster(jk, gs, dk, field, t)
            chi_cl = m_cl * MU_B_MOLAR_CGS / (field / TESLA_PER_OE)
        return _additive.susceptibility(
            params, chi_cl, t, g_mean, self.spec.prefactor, self.to_k, self.imp_two_s, field=field
        )

    def magnetization(self, params, b, t):
        """M along the field (mu_B per f.u.), ``b`` (T) and ``t`` (K) broadcast together."""
        jk, gs, dk, g_mean = self.unpack(params)
        b, t = jnp.broadcast_arrays(jnp.asarray(b, float), jnp.asarray(t, float))
        return _additive.magnetization(
            params,
            lambda bb: self.moment_cluster(jk, gs, dk, bb, t),
            b,
            t,
            g_mean,
            self.spec.prefactor,
            self.to_k,
            self.imp_two_s,
        )

    def thermo_levels(self, params, t, field):
        """Levels (K) and ln weights for C and S; Zeeman-split when ``field`` is given."""
        jk, gs, dk, _ = self.unpack(params)
        if field is None:
            e, _, _, log_deg = self.levels(jk, dk)
            return e, log_deg, t
        b = jnp.asarray(field, float)
        t = jnp.broadcast_to(t, jnp.broadcast_shapes(jnp.shape(t), b.shape))
        e, mask = self.iso.zeeman_levels(self.iso.energies(jk), gs[0], b)
        e = jnp.where(mask, e, jnp.max(jnp.where(mask, e, -jnp.inf)))  # masked: weight 0
        log_deg = jnp.where(mask, 0.0, -jnp.inf).reshape(-1)
        return e.reshape(*e.shape[:-2], -1), log_deg, t

    def heat_capacity(self, params, t, field):
        """C / k_B per formula unit."""
        e, log_deg, t = self.thermo_levels(params, t, field)
        return _thermo.heat_capacity(e, log_deg, t) / self.spec.formula_units

    def entropy(self, params, t, field):
        """S / k_B per formula unit."""
        e, log_deg, t = self.thermo_levels(params, t, field)
        return _thermo.entropy(e, log_deg, t) / self.spec.formula_units

    def spectrum(self, params):
        jk, _, dk, _ = self.unpack(params)
        e, two_s, two_m, log_deg = self.levels(jk, dk)
        order = jnp.argsort(e)
        return _thermo.Spectrum(
            energy=e[order] / self.to_k,
            spin=jnp.asarray(two_s / 2.0)[order],
            magnetic=jnp.asarray(two_m / 2.0)[order],
            degeneracy=jnp.asarray(np.exp(log_deg).round())[order],
        )

    def gap(self, params):
        jk, _, dk, _ = self.unpack(params)
        return _thermo.excitation_gap(self.levels(jk, dk)[0]) / self.to_k

    def saturation_field(self, params):
        jk, gs, _, _ = self.unpack(params)
        return self.iso.saturation_field(self.iso.energies(jk), gs[0])

    def bond_correlations(self, params, t):
        """Per-bond ``<S_i.S_j>`` of each class: ground level (``t`` None) or thermal."""
        jk, _, dk, _ = self.unpack(params)
        log_deg = self.levels(jk, dk)[3]

        def energy(j):  # E_ground (degenerate-averaged) or F; d/dJ_b = sum_b <S_i.S_j>
            e = self.levels(j, dk)[0]
            if t is None:
                return jnp.sum(_thermo.ground_weights(e, log_deg) * e)
            e0 = jnp.min(e)
            return e0 - t * jax.nn.logsumexp(-(e - e0) / t + log_deg)

        grad = jax.grad(energy)(jk)
        return {
            n: grad[k] / len(b)
            for k, (n, b) in enumerate(zip(self.spec.coupling_names, self.spec.bonds, strict=True))
        }
