"""The public :class:`Cluster`: one validated cluster and its observables.

Every observable is a pure JAX function of a parameter dict (jit, vmap and grad work,
float64) whose keys are the coupling names, the g names (``g``, or one per g group), the
anisotropy names (``D`` groups, in the coupling energy unit) and optional additive terms
(:mod:`._additive`). Which diagonalisation route serves a cluster is fixed at construction:

* ``multiplet``: isotropic exchange, one g -> total-spin sectors, every field and
  temperature in closed form (:mod:`._isotropic`);
* ``blocks``: isotropic exchange, several g groups -> S^z blocks, one diagonalisation per
  field, Kubo sum at zero field (:mod:`._blocks`);
* ``powder``: any anisotropy (axial D, rhombic E, XXZ exchange, axial g tensors) -> full
  space per field and direction: a crystal axis, polar angles, or the Gauss-Legendre powder
  average (:mod:`._anisotropic`, :mod:`._directions`).

The engine's matrices are pytree leaves passed to the compiled functions as arguments.

Conventions, units and reference values: ``shared/specs/spin-clusters.md``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

from ._checks import positive
from ._cluster import ClusterError, check_structure, impurity_two_s
from ._directions import field_nodes, parse_direction
from ._engine import Engine, group_by_field
from ._memory import check_size, path_for
from ._thermo import Spectrum
from ._units import R_GAS, chi_unit, unit_factor

_OWN = {"impurity_spin", "powder_points", "max_memory_gib", "where"}


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
        rhombic: ``{"E_Ni": [2, 3]}``: rhombic terms ``E [(S^x_i)^2 - (S^y_i)^2]`` (same
            frame), in ``energy_unit``.
        axial_g: g group names (or ``True`` for all) whose g is an axial tensor: the
            parameter ``<name>`` is replaced by ``<name>_par`` (along z) and ``<name>_perp``.
        xxz: coupling names with XXZ exchange: class ``J`` gets the parameter ``J_z`` and
            ``c [J (S^x S^x + S^y S^y) + J_z S^z S^z]`` (``J`` is then the xy part).
        impurity_spin: spin of the paramagnetic impurities of the ``rho_imp`` term.
        powder_points: Gauss-Legendre nodes in cos(theta) for the powder magnetisation.
        max_memory_gib: refuse clusters whose estimated memory exceeds this.
        where: prefix for error messages (a model file name).

    Parameter dicts (plain string keys; values may be traced, batched or differentiated):
    the coupling names and ``D`` names (in ``energy_unit``, sign per ``convention``), the g
    names (dimensionless), and optionally ``chi0`` (emu/mol), ``rho_imp`` (impurity spins
    per formula unit), ``theta_imp`` and ``theta`` (K), ``zJ`` (``energy_unit``) and
    ``g_imp``; see :mod:`bayesfit.spin._additive`. Results are per mole of formula units.
    Reference for conventions and units: ``shared/specs/spin-clusters.md``; for the
    molecular-magnetism formulas, Kahn, *Molecular Magnetism* (VCH 1993).
    """

    def __init__(
        self,
        spins: Sequence[Any],
        couplings: Mapping[str, Sequence[Sequence[int]]],
        *,
        impurity_spin: float = 0.5,
        powder_points: int = 8,
        max_memory_gib: float = 4.0,
        where: str = "",
        **structure: Any,
    ):
        # convention, energy_unit, formula_units, g_groups, anisotropy, rhombic, axial_g,
        # xxz: the structure of
        # the cluster, checked (and defaulted) in one place, check_cluster
        self.spec = check_structure(spins, couplings, structure, solver="Cluster", own=_OWN,
                                    where=where)
        self._where = f"{where}: " if where else ""
        self._imp_two_s = impurity_two_s(impurity_spin, self._where)
        if not isinstance(powder_points, int) or powder_points < 1:
            raise ClusterError(
                f"{self._where}powder_points must be a positive integer, got {powder_points!r}."
            )
        self.path = path_for(self.spec)
        self.memory_gib = check_size(
            self.spec, self.path, float(max_memory_gib), self._where, powder_points=powder_points
        )
        self._engine = Engine(
            self.spec,
            self.path,
            imp_two_s=self._imp_two_s,
            powder_points=powder_points,
            where=self._where,
        )
        self._jit = {
            name: jax.jit(_method(name), static_argnames=("direction",))
            for name in (
                "susceptibility",
                "magnetization",
                "heat_capacity",
                "entropy",
                "spectrum",
                "gap",
                "saturation_field",
                "bond_correlations",
            )
        }

    def _call(self, name, *args, **kwargs):
        return self._jit[name](self._engine, *args, **kwargs)

    def check_direction(self, direction, *, in_field: bool) -> None:
        """Raise :class:`ClusterError` if ``direction`` cannot be used (in a field or not)."""
        d = self._direction(direction)
        if in_field and self.path == "powder":
            field_nodes(d, 1, bool(self.spec.e_names), self._where)

    def _direction(self, direction):
        d = parse_direction(direction, self._where)
        if self.path != "powder":
            return None  # isotropic exchange and g: every direction is the same
        return d

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

    # ------------------------------------------------------------------ observables
    def susceptibility(self, params, T, *, field=None, direction=None, units: str = "emu/mol"):
        """Molar susceptibility at temperatures ``T`` (K), per mole of formula units.

        ``field=None`` (or 0): the zero-field limit dM/dH; ``field`` (T, > 0): M/H at that
        field, as a SQUID measures it. ``units``: ``emu/mol`` (= cm^3/mol, cgs), ``m^3/mol``
        (SI, = 4 pi 1e-6 cgs), or chi*T in ``emu K/mol`` / ``m^3 K/mol``. Includes the
        additive terms present in ``params``. ``direction``: ``None``/``"powder"`` (powder
        average), ``"x"``, ``"y"``, ``"z"`` or ``(theta, phi)`` in degrees in the anisotropy
        frame (matters only with anisotropy).
        """
        _, factor, times_t = chi_unit(units, where=self._where)
        t = positive(T, "temperature T (K)", self._where)
        if field is not None and not isinstance(field, jax.core.Tracer) and np.all(field == 0):
            field = None
        if field is not None:
            field = positive(field, "measuring field (T)", self._where)
        chi = self._call("susceptibility", params, t, field, direction=self._direction(direction))
        return factor * (chi * t if times_t else chi)

    def magnetization(self, params, B, T, *, direction=None, units: str = "mu_B/f.u."):
        """Magnetisation along the field at fields ``B`` (T) and temperatures ``T`` (K).

        ``B`` and ``T`` broadcast together; on the ``blocks`` and ``powder`` paths each
        distinct field costs one diagonalisation per block / direction, shared by all
        temperatures at that field (when ``B`` and ``T`` are concrete; traced: one per
        element). ``units``: ``mu_B/f.u.`` (default), ``emu/mol`` (x 5584.94) or
        ``A m^2/mol``. Includes ``chi0``, the impurity Brillouin term and the self-consistent
        mean field ``zJ`` when present. ``direction`` as in :meth:`susceptibility`.
        """
        _, factor = unit_factor("magnetization", units, where=self._where)
        t = positive(T, "temperature T (K)", self._where)
        b = jnp.asarray(B, float)
        # from the inputs as given: inside a caller's jit ``jnp.asarray`` of host data is a
        # tracer, and the grouping (one diagonalisation per distinct field) would be lost
        grid = group_by_field(B, T) if self.path != "multiplet" else None
        d = self._direction(direction)
        return factor * self._call("magnetization", params, b, t, grid, direction=d)

    def heat_capacity(self, params, T, *, field=None, direction=None, units: str = "J/(mol K)"):
        """Magnetic heat capacity per mole of formula units at ``T`` (K).

        ``field`` (T): C(T, B) in a field; on the blocks and powder paths one field value
        (scalar) per call, along ``direction`` (as in :meth:`susceptibility`; powder: the
        orientation average of C). ``units``: ``J/(mol K)``, ``mJ/(mol K)`` or ``R`` (C/R).
        """
        _, factor = unit_factor("heat_capacity", units, where=self._where)
        t, field = self._thermo_args(T, field)
        d = self._direction(direction)
        return factor * R_GAS * self._call("heat_capacity", params, t, field, direction=d)

    def entropy(self, params, T, *, field=None, direction=None, units: str = "J/(mol K)"):
        """Magnetic entropy per mole of formula units at ``T`` (K); -> R sum ln(2S_i+1)."""
        _, factor = unit_factor("entropy", units, where=self._where)
        t, field = self._thermo_args(T, field)
        d = self._direction(direction)
        return factor * R_GAS * self._call("entropy", params, t, field, direction=d)

    def _thermo_args(self, T, field):
        t = positive(T, "temperature T (K)", self._where)
        if field is not None and self.path != "multiplet" and np.ndim(field) != 0:
            raise ClusterError(
                f"{self._where}heat capacity and entropy in a field take one field value "
                f"(scalar, T) per call on the {self.path!r} path; got shape {np.shape(field)}."
            )
        return t, None if field is None else jnp.asarray(field, float)

    def spectrum(self, params) -> Spectrum:
        """Zero-field levels sorted by energy, in the cluster energy unit, with S and M."""
        return self._call("spectrum", params)

    def gap(self, params):
        """E(first excited level) - E(ground), in the cluster energy unit (zero field)."""
        return self._call("gap", params)

    def saturation_field(self, params):
        """Highest field (T) at which the T = 0 ground state changes M (0 if none).

        Multiplet path only: with one g the fully polarised state crosses every multiplet
        at ``(E_sat - E_S) / (g mu_B (S_max - S))``.
        """
        if self.path != "multiplet":
            raise ClusterError(
                f"{self._where}saturation_field needs isotropic exchange and one g (the level "
                f"crossings are then linear in B); this cluster uses {self.path!r}."
            )
        return self._call("saturation_field", params)

    def bond_correlations(self, params, T=None) -> dict[str, jax.Array]:
        """``<S_i . S_j>`` averaged over the bonds of each class (Hellmann-Feynman).

        ``T=None``: ground level, averaged over its degenerate states (the T -> 0 limit of
        the thermal average); ``T`` (K, scalar): thermal average ``dF/dJ_b`` at zero field.
        Dimensionless (units of hbar^2).
        """
        t = None if T is None else positive(T, "temperature T (K)", self._where)
        if t is not None and t.ndim:
            raise ClusterError(
                f"{self._where}bond_correlations takes one temperature, got shape "
                f"{t.shape}; use jax.vmap for several."
            )
        return self._call("bond_correlations", params, t)


def _method(name: str):
    """``f(engine, *args)`` calling ``engine.<name>``: the engine (matrices) is an argument."""

    def call(engine, *args, **kwargs):
        # inside a caller's jit the engine's arrays are constants of the outer program: the
        # barrier keeps XLA from constant-folding (copying) them at compile time
        engine = jax.lax.optimization_barrier(engine)
        return getattr(engine, name)(*args, **kwargs)

    call.__name__ = name
    return call
