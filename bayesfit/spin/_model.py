"""The public :class:`Cluster`: one validated cluster and its observables.

Every observable is a pure JAX function of a parameter dict (jit, vmap and grad work,
float64) whose keys are the coupling names, the g names (``g``, or one per g group), the
anisotropy names (``D`` groups, in the coupling energy unit) and optional additive terms
(:mod:`._additive`). Which diagonalisation route serves a cluster is fixed at construction:

* ``multiplet``: isotropic exchange, one g -> total-spin sectors, every field and
  temperature in closed form (:mod:`._isotropic`);
* ``blocks``: isotropic exchange, several g groups -> S^z blocks, one diagonalisation per
  field, Kubo sum at zero field (:mod:`._blocks`);
* ``powder``: axial anisotropy -> full space per field direction, Gauss-Legendre powder
  average (:mod:`._anisotropic`).

Conventions, units and reference values: ``shared/specs/spin-clusters.md``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

from . import _additive, _thermo
from ._anisotropic import PowderModel
from ._blocks import BlockModel
from ._checks import check_params, positive
from ._cluster import ClusterError, _spin, check_cluster
from ._hilbert import ProductBasis
from ._isotropic import IsotropicModel
from ._memory import check_size, path_for
from ._multiplets import build_sectors
from ._thermo import Spectrum
from ._units import (
    CURIE_CGS,
    ENERGY_TO_K,
    MU_B_MOLAR_CGS,
    R_GAS,
    TESLA_PER_OE,
    UnitError,
    unit_factor,
)


class Cluster:
    """A spin cluster with named bond classes, for exact diagonalisation.

    Args:
        spins: spin of every site, positive half-integers (``0.5``, ``1``, ``"3/2"``, ...).
        couplings: bond classes, ``{"J1": [(0, 1), (6, 7)], "J2": [(1, 2)]}``; each bond
            in one class, sites numbered from 0.
        convention: ``"+J"``, ``"-J"``, ``"-2J"`` or ``"+2J"``: H = c sum_b J_b S_i.S_j
            with c = +1, -1, -2, +2 (``+J``: J > 0 antiferromagnetic).
        energy_unit: unit of the couplings and D values: ``"K"``, ``"meV"`` or ``"cm-1"``.
        formula_units: formula units per cluster; molar results are per mole of f.u.
        g_groups: ``{"g_Cu": [0, 1], "g_Ni": [2]}`` for one g per group (must cover every
            site); default one ``g`` for all sites.
        anisotropy: ``{"D_Ni": [2, 3]}``: axial single-ion terms
            ``D [(S^z_i)^2 - S_i(S_i+1)/3]`` (common axis z); switches to the powder path.
        impurity_spin: spin of the paramagnetic impurities of the ``rho_imp`` term.
        powder_points: Gauss-Legendre nodes in cos(theta) for the powder magnetisation.
        max_memory_gib: refuse clusters whose estimated memory exceeds this.
        where: prefix for error messages (a model file name).
    """

    def __init__(
        self,
        spins: Sequence[Any],
        couplings: Mapping[str, Sequence[Sequence[int]]],
        *,
        convention: str = "+J",
        energy_unit: str = "K",
        formula_units: float = 1,
        g_groups: Mapping[str, Sequence[int]] | None = None,
        anisotropy: Mapping[str, Sequence[int]] | None = None,
        impurity_spin: float = 0.5,
        powder_points: int = 8,
        max_memory_gib: float = 4.0,
        where: str = "",
    ):
        self.spec = check_cluster(
            spins,
            couplings,
            convention=convention,
            energy_unit=energy_unit,
            formula_units=formula_units,
            g_groups=g_groups,
            anisotropy=anisotropy,
            where=where,
        )
        self._where = f"{where}: " if where else ""
        self._imp_two_s = _spin(impurity_spin, -1, self._where)
        if not isinstance(powder_points, int) or powder_points < 1:
            raise ClusterError(
                f"{self._where}powder_points must be a positive integer, got {powder_points!r}."
            )
        self.path = path_for(self.spec)
        self.memory_gib = check_size(self.spec, self.path, float(max_memory_gib), self._where)
        self._to_k = ENERGY_TO_K[self.spec.energy_unit]
        basis = ProductBasis(self.spec.two_s)
        ops = [sum(basis.exchange(i, j) for i, j in bonds) for bonds in self.spec.bonds]
        self._iso = self._blocks = self._powder = None
        if self.path != "powder":
            self._iso = IsotropicModel(build_sectors(basis, ops))
        if self.path != "multiplet":
            self._blocks = BlockModel(
                basis,
                ops,
                self.spec.g_sites,
                self.spec.d_sites,
                perpendicular=self.path == "powder",
            )
        if self.path == "powder":
            self._powder = PowderModel(
                basis, ops, self.spec.g_sites, self.spec.d_sites, powder_points
            )
        self._site_counts = np.array([len(s) for s in self.spec.g_sites], float)

    # ------------------------------------------------------------------ parameters
    @property
    def parameter_names(self) -> tuple[str, ...]:
        """Required parameter names: couplings, g names, anisotropy names."""
        return self.spec.parameter_names

    def __repr__(self) -> str:
        s = ", ".join(f"{t / 2:g}" for t in self.spec.two_s)
        return (
            f"Cluster(spins=[{s}], couplings={list(self.spec.coupling_names)}, "
            f"convention={self.spec.convention!r}, energy_unit={self.spec.energy_unit!r}, "
            f"path={self.path!r})"
        )

    def _unpack(self, params):
        check_params(params, self.parameter_names, self._where)
        sp = self.spec
        jk = (
            jnp.stack([jnp.asarray(params[n], float) for n in sp.coupling_names])
            if sp.coupling_names
            else jnp.zeros(0)
        )
        jk = jk * (sp.prefactor * self._to_k)
        gs = jnp.stack([jnp.asarray(params[n], float) for n in sp.g_names])
        dk = (
            jnp.stack([jnp.asarray(params[n], float) for n in sp.d_names]) * self._to_k
            if sp.d_names
            else jnp.zeros(0)
        )
        g_mean = jnp.sum(gs * self._site_counts) / self.spec.n_sites
        return jk, gs, dk, g_mean

    # ------------------------------------------------------------------ cluster parts
    def _levels(self, jk, dk):
        """Zero-field levels (K), spin labels (2S or NaN), 2M labels (or NaN), ln degeneracy."""
        if self._iso is not None:
            e, two_s, log_deg = self._iso.levels(jk)
            return e, two_s, np.full(two_s.shape, np.nan), log_deg
        blocks, two_m = self._blocks.levels(jk, dk)
        return jnp.concatenate(blocks), np.full(two_m.shape, np.nan), two_m, np.zeros(two_m.size)

    def _chi_cluster(self, jk, gs, dk, t):
        """Zero-field chi of the cluster, emu/mol per formula unit."""
        if self.path == "multiplet":
            val = gs[0] ** 2 * self._iso.sz2(self._iso.energies(jk), t) / t
        else:
            val = self._blocks.chi(jk, gs, dk, t, powder=self.path == "powder")
        return CURIE_CGS * val / self.spec.formula_units

    def _moment_cluster(self, jk, gs, dk, b, t):
        """Moment along the field, mu_B per formula unit."""
        if self.path == "multiplet":
            val = self._iso.moment(self._iso.energies(jk), gs[0], b, t)
        elif self.path == "blocks":
            val = self._blocks.moment_z(jk, gs, dk, b, t)
        else:
            val = self._powder.moment(jk, gs, dk, b, t)
        return val / self.spec.formula_units

    # ------------------------------------------------------------------ observables
    def susceptibility(self, params, T, *, field=None, units: str = "emu/mol"):
        """Molar susceptibility at temperatures ``T`` (K), per mole of formula units.

        ``field=None`` (or 0): the zero-field limit dM/dH; ``field`` (T, > 0): M/H at that
        field, as a SQUID measures it. ``units``: ``emu/mol`` (= cm^3/mol, cgs), ``m3/mol``
        (SI, = 4 pi 1e-6 cgs), or chi*T in ``emu K/mol`` / ``m3 K/mol``. Includes the
        additive terms present in ``params``. Powder average with anisotropy.
        """
        try:
            name, factor = unit_factor("susceptibility", units, where=self._where)
            times_t = False
        except UnitError:
            name, factor = unit_factor("chiT", units, where=self._where)
            times_t = True
        t = positive(T, "temperature T (K)", self._where)
        jk, gs, dk, g_mean = self._unpack(params)
        if field is None or (not isinstance(field, jax.core.Tracer) and np.all(field == 0)):
            chi_cl, fld = self._chi_cluster(jk, gs, dk, t), None
        else:
            fld = positive(field, "measuring field (T)", self._where)
            m_cl = self._moment_cluster(jk, gs, dk, fld, t)
            chi_cl = m_cl * MU_B_MOLAR_CGS / (fld / TESLA_PER_OE)
        chi = _additive.susceptibility(
            params, chi_cl, t, g_mean, self.spec.prefactor, self._to_k, self._imp_two_s, field=fld
        )
        return factor * (chi * t if times_t else chi)

    def magnetization(self, params, B, T, *, units: str = "mu_B/f.u."):
        """Magnetisation along the field at fields ``B`` (T) and temperatures ``T`` (K).

        ``B`` and ``T`` broadcast together. ``units``: ``mu_B/f.u.`` (default),
        ``emu/mol`` (x 5584.94) or ``A m2/mol``. Includes ``chi0``, the impurity Brillouin
        term and the self-consistent mean field ``zJ`` when present; powder average with
        anisotropy.
        """
        _, factor = unit_factor("magnetization", units, where=self._where)
        t = positive(T, "temperature T (K)", self._where)
        jk, gs, dk, g_mean = self._unpack(params)
        b, t = jnp.broadcast_arrays(jnp.asarray(B, float), t)
        m = _additive.magnetization(
            params,
            lambda bb: self._moment_cluster(jk, gs, dk, bb, t),
            b,
            t,
            g_mean,
            self.spec.prefactor,
            self._to_k,
            self._imp_two_s,
        )
        return factor * m

    def heat_capacity(self, params, T, *, field=None, units: str = "J/(mol K)"):
        """Magnetic heat capacity per mole of formula units at ``T`` (K).

        ``field`` (T) is supported on the multiplet path (isotropic exchange, one g).
        ``units``: ``J/(mol K)``, ``mJ/(mol K)`` or ``R`` (C/R).
        """
        _, factor = unit_factor("heat_capacity", units, where=self._where)
        e, log_deg, t = self._thermo_levels(params, T, field)
        return factor * R_GAS * _thermo.heat_capacity(e, log_deg, t) / self.spec.formula_units

    def entropy(self, params, T, *, field=None, units: str = "J/(mol K)"):
        """Magnetic entropy per mole of formula units at ``T`` (K); -> R sum ln(2S_i+1)."""
        _, factor = unit_factor("entropy", units, where=self._where)
        e, log_deg, t = self._thermo_levels(params, T, field)
        return factor * R_GAS * _thermo.entropy(e, log_deg, t) / self.spec.formula_units

    def _thermo_levels(self, params, T, field):
        t = positive(T, "temperature T (K)", self._where)
        jk, gs, dk, _ = self._unpack(params)
        if field is None:
            e, _, _, log_deg = self._levels(jk, dk)
            return e, log_deg, t
        if self.path != "multiplet":
            raise ClusterError(
                f"{self._where}heat capacity and entropy in a field are only "
                "available for isotropic exchange with one g (multiplet path)."
            )
        b = jnp.asarray(field, float)
        t = jnp.broadcast_to(t, jnp.broadcast_shapes(t.shape, b.shape))
        e, mask = self._iso.zeeman_levels(self._iso.energies(jk), gs[0], b)
        e = jnp.where(mask, e, jnp.max(jnp.where(mask, e, -jnp.inf)))  # masked: weight 0
        log_deg = jnp.where(mask, 0.0, -jnp.inf).reshape(-1)
        return e.reshape(*e.shape[:-2], -1), log_deg, t

    def spectrum(self, params) -> Spectrum:
        """Zero-field levels sorted by energy, in the cluster energy unit, with S and M."""
        jk, _, dk, _ = self._unpack(params)
        e, two_s, two_m, log_deg = self._levels(jk, dk)
        order = jnp.argsort(e)
        return Spectrum(
            energy=e[order] / self._to_k,
            spin=jnp.asarray(two_s / 2.0)[order],
            magnetic=jnp.asarray(two_m / 2.0)[order],
            degeneracy=jnp.asarray(np.exp(log_deg).round())[order],
        )

    def gap(self, params):
        """E(first excited level) - E(ground), in the cluster energy unit (zero field)."""
        jk, _, dk, _ = self._unpack(params)
        e, *_ = self._levels(jk, dk)
        return _thermo.excitation_gap(e) / self._to_k

    def saturation_field(self, params):
        """Highest field (T) at which the T = 0 ground state changes M (0 if none).

        Multiplet path only: with one g the fully polarised state crosses every multiplet
        at ``(E_sat - E_S) / (g mu_B (S_max - S))``.
        """
        if self.path != "multiplet":
            raise ClusterError(
                f"{self._where}saturation_field needs isotropic exchange and "
                "one g (the level crossings are then linear in B)."
            )
        jk, gs, _, _ = self._unpack(params)
        return self._iso.saturation_field(self._iso.energies(jk), gs[0])

    def bond_correlations(self, params, T=None) -> dict[str, jax.Array]:
        """``<S_i . S_j>`` averaged over the bonds of each class (Hellmann-Feynman).

        ``T=None``: ground level, averaged over its degenerate states (the T -> 0 limit);
        ``T`` (K): thermal average, ``dF/dJ_b`` at zero field.
        """
        jk, _, dk, _ = self._unpack(params)
        _, _, _, log_deg = self._levels(jk, dk)
        t = None if T is None else positive(T, "temperature T (K)", self._where)
        if t is not None and t.ndim:
            raise ClusterError(
                f"{self._where}bond_correlations takes one temperature, got "
                f"shape {t.shape}; use jax.vmap for several."
            )

        def energy(j):
            e = self._levels(j, dk)[0]
            if t is None:
                return jnp.sum(_thermo.ground_weights(e, log_deg) * e)
            e0 = jnp.min(e)
            return e0 - t * jax.nn.logsumexp(-(e - e0) / t + log_deg)

        grad = jax.grad(energy)(jk)
        return {
            n: grad[k] / len(b)
            for k, (n, b) in enumerate(zip(self.spec.coupling_names, self.spec.bonds, strict=True))
        }
