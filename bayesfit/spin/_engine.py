"""The computational core of a :class:`~bayesfit.spin.Cluster`: pure functions of params.

An :class:`Engine` owns the matrices of one diagonalisation route (``multiplet``,
``blocks`` or ``powder``) and turns a parameter dict into observables in internal units
(emu/mol, mu_B/f.u., C/k_B, K). It does no input checking and no unit conversion: the
public class validates on the host, then calls these functions through ``jax.jit``.
The engine is a pytree (``equinox.Module``) whose leaves are the matrices: they reach the
compiled functions as arguments, not as constants folded into the program.
"""

from __future__ import annotations

from typing import NamedTuple

import equinox as eqx
import jax
import jax.numpy as jnp
import numpy as np

from . import _additive, _thermo
from ._anisotropic import Coefficients, FullSpaceModel
from ._blocks import BlockModel
from ._checks import check_params
from ._cluster import ClusterSpec
from ._directions import chi_weights, field_nodes
from ._hilbert import ProductBasis
from ._isotropic import IsotropicModel
from ._multiplets import build_sectors
from ._units import CURIE_CGS, ENERGY_TO_K, MU_B_MOLAR_CGS, TESLA_PER_OE


class FieldGrid(NamedTuple):
    """Points ``(B, T)`` grouped by field: ``values[row, col]`` of a (n_B, n_T) grid.

    ``fields`` (n_B,) T; ``temps`` (n_B, n_T) K, row k the temperatures at ``fields[k]``
    (padded by repetition); ``row``, ``col`` (n_points,) int. Built on the host by
    :func:`group_by_field` so that one diagonalisation serves every temperature at a field.
    """

    fields: jax.Array
    temps: jax.Array
    row: jax.Array
    col: jax.Array


def group_by_field(b, t) -> FieldGrid | None:
    """Group concrete broadcast ``b``, ``t`` by unique field; ``None`` when traced."""
    if isinstance(b, jax.core.Tracer) or isinstance(t, jax.core.Tracer):
        return None
    b, t = np.broadcast_arrays(np.asarray(b, float), np.asarray(t, float))
    fields, row = np.unique(b.ravel(), return_inverse=True)
    flat_t = t.ravel()
    col = np.zeros(row.size, dtype=np.int64)
    counts = np.zeros(fields.size, dtype=np.int64)
    for k, r in enumerate(row):
        col[k] = counts[r]
        counts[r] += 1
    temps = np.empty((fields.size, int(counts.max())))
    temps[row, col] = flat_t
    for r in range(fields.size):  # pad with a repeated temperature (computed, unused)
        temps[r, counts[r] :] = temps[r, 0]
    return FieldGrid(jnp.asarray(fields), jnp.asarray(temps), jnp.asarray(row), jnp.asarray(col))


def _trivial_grid(b, t) -> FieldGrid:
    """One field per point (traced input), or one field for all points when ``b`` is scalar."""
    if jnp.ndim(b) == 0:
        n = t.size
        return FieldGrid(jnp.reshape(b, (1,)), t.reshape(1, n), jnp.zeros(n, int), jnp.arange(n))
    n = b.size
    return FieldGrid(b.ravel(), t.ravel()[:, None], jnp.arange(n), jnp.zeros(n, int))


class Engine(eqx.Module):
    """Matrices of one cluster and its observables as functions of a parameter dict."""

    iso: IsotropicModel | None
    blocks: BlockModel | None
    full: FullSpaceModel | None
    spec: ClusterSpec = eqx.field(static=True)
    path: str = eqx.field(static=True)
    where: str = eqx.field(static=True)
    imp_two_s: int = eqx.field(static=True)
    powder_points: int = eqx.field(static=True)
    to_k: float = eqx.field(static=True)
    site_counts: tuple[float, ...] = eqx.field(static=True)

    def __init__(
        self, spec: ClusterSpec, path: str, *, imp_two_s: int, powder_points: int, where: str = ""
    ):
        self.spec, self.path, self.where, self.imp_two_s = spec, path, where, imp_two_s
        self.powder_points = powder_points
        self.to_k = ENERGY_TO_K[spec.energy_unit]
        basis = ProductBasis(spec.two_s)
        ops = [sum(basis.exchange(i, j) for i, j in bonds) for bonds in spec.bonds]
        self.iso = IsotropicModel(build_sectors(basis, ops)) if path != "powder" else None
        self.blocks = BlockModel(basis, ops, spec.g_sites) if path == "blocks" else None
        self.full = FullSpaceModel(basis, ops, spec) if path == "powder" else None
        self.site_counts = tuple(float(len(s)) for s in spec.g_sites)

    @property
    def has_e(self) -> bool:
        return bool(self.spec.e_names)

    def unpack(self, params):
        """``(co, g_mean)``: :class:`Coefficients` (energies in K) and the mean site g.

        With axial g tensors the g of a group entering ``g_mean`` (impurities, mean field)
        is the powder value ``sqrt((g_par^2 + 2 g_perp^2) / 3)``.
        """
        check_params(params, self.spec.parameter_names, self.where)
        sp = self.spec

        def stack(names, scale=1.0):
            if not names:
                return jnp.zeros(0)
            return jnp.stack([jnp.asarray(params[n], float) for n in names]) * scale

        g_par, g_perp = [], []
        for k, name in enumerate(sp.g_names):
            if sp.axial_g and sp.axial_g[k]:
                g_par.append(params[f"{name}_par"])
                g_perp.append(params[f"{name}_perp"])
            else:
                g_par.append(params[name])
                g_perp.append(params[name])
        g_par = jnp.stack([jnp.asarray(g, float) for g in g_par])
        g_perp = jnp.stack([jnp.asarray(g, float) for g in g_perp])
        jk = stack(sp.coupling_names, sp.prefactor * self.to_k)
        jz = stack(sp.xxz_names, sp.prefactor * self.to_k)
        if sp.xxz_classes:
            jz = jz - jk[jnp.asarray(sp.xxz_classes)]
        co = Coefficients(
            jk=jk,
            jz=jz,
            g_par=g_par,
            g_perp=g_perp,
            dk=stack(sp.d_names, self.to_k),
            ek=stack(sp.e_names, self.to_k),
        )
        g_iso = jnp.sqrt((g_par**2 + 2.0 * g_perp**2) / 3.0)
        g_mean = jnp.sum(g_iso * jnp.asarray(self.site_counts)) / sp.n_sites
        return co, g_mean

    # ------------------------------------------------------------------ cluster parts
    def levels(self, co):
        """Zero-field levels (K), 2S labels (NaN if not conserved), 2M labels, ln degeneracy."""
        if self.iso is not None:  # isotropic exchange: multiplets (blocks path included)
            e, two_s, log_deg = self.iso.levels(co.jk)
            return e, two_s, np.full(two_s.shape, np.nan), log_deg
        e = self.full.levels(co)
        nan = np.full(e.shape[0], np.nan)
        return e, nan, nan, np.zeros(e.shape[0])

    def chi_cluster(self, co, t, direction):
        """Zero-field chi of the cluster alone (along ``direction``), emu/mol per f.u."""
        if self.path == "multiplet":
            val = co.g_par[0] ** 2 * self.iso.sz2(self.iso.energies(co.jk), t) / t
        elif self.path == "blocks":
            val = self.blocks.chi(co.jk, co.g_par, t)
        else:
            tt = jnp.atleast_1d(jnp.asarray(t, float)).ravel()
            val = 0.0
            for axis, w in zip("zxy", chi_weights(direction, self.has_e), strict=True):
                if w:
                    val = val + w * self.full.chi_axis(co, tt, axis)
            val = jnp.reshape(val, jnp.shape(t))
        return CURIE_CGS * val / self.spec.formula_units

    def moment_cluster(self, co, b, t, direction, grid=None):
        """Moment of the cluster alone along the field, mu_B per formula unit."""
        b, t = jnp.broadcast_arrays(jnp.asarray(b, float), jnp.asarray(t, float))
        if self.path == "multiplet":
            val = self.iso.moment(self.iso.energies(co.jk), co.g_par[0], b, t)
            return val / self.spec.formula_units
        if grid is None:
            grid = _trivial_grid(b, t)
        if self.path == "blocks":
            vals = self.blocks.moment_grid(co.jk, co.g_par, grid.fields, grid.temps)
        else:
            nodes = field_nodes(direction, self.powder_points, self.has_e, self.where)
            vals = self.full.moment_grid(co, grid.fields, grid.temps, nodes)
        return vals[grid.row, grid.col].reshape(b.shape) / self.spec.formula_units

    # ------------------------------------------------------------------ observables
    def susceptibility(self, params, t, field, direction=None):
        """chi (emu/mol per f.u.) at ``t`` (K); zero field when ``field`` is None, else M/H."""
        co, g_mean = self.unpack(params)
        if field is None:
            chi_cl = self.chi_cluster(co, t, direction)
        else:
            m_cl = self.moment_cluster(co, field, t, direction)
            chi_cl = m_cl * MU_B_MOLAR_CGS / (field / TESLA_PER_OE)
        return _additive.susceptibility(
            params, chi_cl, t, g_mean, self.spec.prefactor, self.to_k, self.imp_two_s, field=field
        )

    def magnetization(self, params, b, t, grid=None, direction=None):
        """M along the field (mu_B per f.u.), ``b`` (T) and ``t`` (K) broadcast together."""
        co, g_mean = self.unpack(params)
        b, t = jnp.broadcast_arrays(jnp.asarray(b, float), jnp.asarray(t, float))
        return _additive.magnetization(
            params,
            lambda bb: self.moment_cluster(co, bb, t, direction),
            b,
            t,
            g_mean,
            self.spec.prefactor,
            self.to_k,
            self.imp_two_s,
            first=self.moment_cluster(co, b, t, direction, grid),
        )

    def thermo_levels(self, params, t, field, direction=None):
        """Levels (K) and ln weights for C and S; Zeeman-split when ``field`` is given.

        On the blocks and full-space routes the levels in a field carry a leading axis of
        field directions (one for a crystal axis, the powder nodes otherwise) and a weight.
        """
        co, _ = self.unpack(params)
        if field is None:
            e, _, _, log_deg = self.levels(co)
            return e, log_deg, t, None
        b = jnp.asarray(field, float)
        if self.path == "multiplet":
            t = jnp.broadcast_to(t, jnp.broadcast_shapes(jnp.shape(t), b.shape))
            e, mask = self.iso.zeeman_levels(self.iso.energies(co.jk), co.g_par[0], b)
            e = jnp.where(mask, e, jnp.max(jnp.where(mask, e, -jnp.inf)))  # masked: weight 0
            log_deg = jnp.where(mask, 0.0, -jnp.inf).reshape(-1)
            return e.reshape(*e.shape[:-2], -1), log_deg, t, None
        if self.path == "blocks":
            e, w = self.blocks.field_levels(co.jk, co.g_par, b), (1.0,)
        else:
            nodes = field_nodes(direction, self.powder_points, self.has_e, self.where)
            e, w = self.full.field_levels(co, b, nodes), tuple(n.weight for n in nodes)
        return e, jnp.zeros(e.shape[-1]), t, w

    def _thermo(self, fn, params, t, field, direction):
        e, log_deg, t, weights = self.thermo_levels(params, t, field, direction)
        if weights is None:
            return fn(e, log_deg, t) / self.spec.formula_units
        vals = sum(w * fn(e[k], log_deg, t) for k, w in enumerate(weights))
        return vals / self.spec.formula_units

    def heat_capacity(self, params, t, field, direction=None):
        """C / k_B per formula unit (powder: orientation average of C)."""
        return self._thermo(_thermo.heat_capacity, params, t, field, direction)

    def entropy(self, params, t, field, direction=None):
        """S / k_B per formula unit."""
        return self._thermo(_thermo.entropy, params, t, field, direction)

    def spectrum(self, params):
        co, _ = self.unpack(params)
        e, two_s, two_m, log_deg = self.levels(co)
        order = jnp.argsort(e)
        return _thermo.Spectrum(
            energy=e[order] / self.to_k,
            spin=jnp.asarray(two_s / 2.0)[order],
            magnetic=jnp.asarray(two_m / 2.0)[order],
            degeneracy=jnp.asarray(np.exp(log_deg).round())[order],
        )

    def gap(self, params):
        co, _ = self.unpack(params)
        return _thermo.excitation_gap(self.levels(co)[0]) / self.to_k

    def saturation_field(self, params):
        co, _ = self.unpack(params)
        return self.iso.saturation_field(self.iso.energies(co.jk), co.g_par[0])

    def bond_correlations(self, params, t):
        """Per-bond ``<S_i.S_j>`` of each class: ground level (``t`` None) or thermal."""
        co, _ = self.unpack(params)
        log_deg = self.levels(co)[3]

        def energy(j):  # E_ground (degenerate-averaged) or F; d/dJ_b = sum_b <S_i.S_j>
            e = self.levels(co._replace(jk=j))[0]
            if t is None:
                return jnp.sum(_thermo.ground_weights(e, log_deg) * e)
            e0 = jnp.min(e)
            return e0 - t * jax.nn.logsumexp(-(e - e0) / t + log_deg)

        grad = jax.grad(energy)(co.jk)
        return {
            n: grad[k] / len(b)
            for k, (n, b) in enumerate(zip(self.spec.coupling_names, self.spec.bonds, strict=True))
        }
