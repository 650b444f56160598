"""Validated description of a spin cluster (sites, bond classes, groups, units).

Everything a user can get wrong is checked here, on the host, before any matrix is built;
each problem raises a :class:`~bayesfit.errors.BayesfitError` subclass whose message names
the offending value and says what to do.
"""

from __future__ import annotations

import inspect
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from ..errors import BayesfitError, ModelFileError
from ._units import convention_prefactor, energy_unit_name

#: Parameter names the additive terms use; couplings and groups may not take them.
ADDITIVE_NAMES = ("chi0", "rho_imp", "theta_imp", "theta", "zJ", "g_imp")


class ClusterError(BayesfitError):
    """A spin-cluster definition that cannot be right (spins, bonds, groups, size)."""


@dataclass(frozen=True)
class ClusterSpec:
    """A checked cluster: ``two_s`` are 2*S per site, ``bonds`` one tuple of pairs per class."""

    two_s: tuple[int, ...]
    coupling_names: tuple[str, ...]
    bonds: tuple[tuple[tuple[int, int], ...], ...]
    convention: str
    prefactor: float
    energy_unit: str
    formula_units: float
    g_names: tuple[str, ...]
    g_sites: tuple[tuple[int, ...], ...]
    d_names: tuple[str, ...]
    d_sites: tuple[tuple[int, ...], ...]
    e_names: tuple[str, ...] = ()
    e_sites: tuple[tuple[int, ...], ...] = ()
    axial_g: tuple[bool, ...] = ()
    xxz_names: tuple[str, ...] = ()
    xxz_classes: tuple[int, ...] = ()

    @property
    def n_sites(self) -> int:
        return len(self.two_s)

    @property
    def g_parameter_names(self) -> tuple[str, ...]:
        """``g`` names, ``<g>_par`` and ``<g>_perp`` for the groups with an axial g tensor."""
        out: list[str] = []
        for k, name in enumerate(self.g_names):
            axial = self.axial_g[k] if self.axial_g else False
            out += [f"{name}_par", f"{name}_perp"] if axial else [name]
        return tuple(out)

    @property
    def anisotropic(self) -> bool:
        """Any term that breaks spin-rotation symmetry (D, E, XXZ, axial g)."""
        return bool(self.d_names or self.e_names or self.xxz_names or any(self.axial_g))

    @property
    def parameter_names(self) -> tuple[str, ...]:
        """Names the parameter dict must hold (optional additive terms not included)."""
        return (
            self.coupling_names
            + self.xxz_names
            + self.g_parameter_names
            + self.d_names
            + self.e_names
        )


def _spin(value: Any, site: int, where: str) -> int:
    try:
        s = None if isinstance(value, bool) else Fraction(value)
    except (TypeError, ValueError):
        s = None
    if s is None or s <= 0 or (2 * s).denominator != 1:
        raise ClusterError(
            f"{where}site {site} has spin {value!r}; spins must be positive half-integers "
            "(0.5, 1, 1.5, 2, 2.5, ... or strings like '1/2')."
        )
    return int(2 * s)


def _site(value: Any, n: int, what: str, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < n:
        raise ClusterError(
            f"{where}{what} refers to site {value!r}, but the cluster has sites 0..{n - 1} "
            f"({n} spins). Sites are numbered from 0."
        )
    return value


def _name(value: Any, what: str, where: str, taken: set[str]) -> str:
    if not isinstance(value, str) or not value.isidentifier():
        raise ClusterError(f"{where}{what} name {value!r} must be a plain identifier string.")
    if value in taken or value in ADDITIVE_NAMES:
        raise ClusterError(
            f"{where}{what} name {value!r} is already used (by another term or by one of "
            f"the additive terms {', '.join(ADDITIVE_NAMES)}); choose another name."
        )
    taken.add(value)
    return value


def _groups(
    groups: Mapping[str, Sequence[int]] | None, n: int, what: str, where: str, taken: set[str]
) -> tuple[tuple[str, ...], tuple[tuple[int, ...], ...]]:
    if not groups:
        return (), ()
    if not isinstance(groups, Mapping):
        raise ClusterError(
            f"{where}{what} must map parameter names to lists of sites, got {groups!r}."
        )
    names, sites, seen = [], [], {}
    for name, members in groups.items():
        names.append(_name(name, what, where, taken))
        members = [members] if isinstance(members, int) else list(members)
        if not members:
            raise ClusterError(f"{where}{what} {name!r} lists no sites.")
        for s in members:
            _site(s, n, f"{what} {name!r}", where)
            if s in seen:
                raise ClusterError(
                    f"{where}site {s} is in {what} {seen[s]!r} and {name!r}; "
                    "each site may belong to one group only."
                )
            seen[s] = name
        sites.append(tuple(sorted(members)))
    return tuple(names), tuple(sites)


def check_cluster(
    spins: Sequence[Any],
    couplings: Mapping[str, Sequence[Sequence[int]]],
    *,
    convention: str = "+J",
    energy_unit: str = "K",
    formula_units: float = 1,
    g_groups: Mapping[str, Sequence[int]] | None = None,
    anisotropy: Mapping[str, Sequence[int]] | None = None,
    rhombic: Mapping[str, Sequence[int]] | None = None,
    axial_g: Sequence[str] | bool = (),
    xxz: Sequence[str] = (),
    where: str = "",
) -> ClusterSpec:
    """Validate a cluster definition; see :class:`bayesfit.spin.Cluster` for the arguments."""
    where = f"{where}: " if where and not where.endswith(": ") else where
    if isinstance(spins, (str, bytes)) or not isinstance(spins, Sequence) or not spins:
        raise ClusterError(
            f"{where}spins must be a non-empty list such as [0.5, 0.5], got {spins!r}."
        )
    two_s = tuple(_spin(v, i, where) for i, v in enumerate(spins))
    n = len(two_s)
    if not isinstance(couplings, Mapping):
        raise ClusterError(
            f"{where}bonds must map coupling names to lists of site pairs, "
            f"e.g. {{'J1': [(0, 1), (2, 3)]}}; got {couplings!r}."
        )
    taken: set[str] = set()
    names, classes, owner = [], [], {}
    for name, pairs in couplings.items():
        names.append(_name(name, "coupling", where, taken))
        if isinstance(pairs, (str, bytes)) or not isinstance(pairs, Sequence) or not pairs:
            raise ClusterError(
                f"{where}coupling {name!r} needs a non-empty list of site pairs, got {pairs!r}."
            )
        bonds = []
        for pair in pairs:
            if isinstance(pair, (str, bytes)) or not isinstance(pair, Sequence) or len(pair) != 2:
                raise ClusterError(f"{where}coupling {name!r}: {pair!r} is not a pair of sites.")
            i, j = (_site(s, n, f"a bond of {name!r}", where) for s in pair)
            if i == j:
                raise ClusterError(
                    f"{where}coupling {name!r} has a self-bond ({i}, {j}); "
                    "a bond joins two different sites."
                )
            key = (min(i, j), max(i, j))
            if key in owner:
                raise ClusterError(
                    f"{where}bond {key} is listed twice (in {owner[key]!r} and {name!r}); "
                    "each bond belongs to exactly one class."
                )
            owner[key] = name
            bonds.append((i, j))
        classes.append(tuple(bonds))
    g_names, g_sites = _groups(g_groups, n, "g group", where, taken)
    if g_names:
        covered = sorted(s for sites in g_sites for s in sites)
        if covered != list(range(n)):
            missing = sorted(set(range(n)) - set(covered))
            raise ClusterError(
                f"{where}g groups must cover every site; sites {missing} have "
                "no g. Add them to a group."
            )
    else:
        g_names, g_sites = (_name("g", "g", where, taken),), (tuple(range(n)),)
    d_names, d_sites = _groups(anisotropy, n, "anisotropy", where, taken)
    e_names, e_sites = _groups(rhombic, n, "rhombic", where, taken)
    single_ion = (("an axial D", d_names, d_sites), ("a rhombic E", e_names, e_sites))
    for kind, gnames, gsites in single_ion:
        for name, sites in zip(gnames, gsites, strict=True):
            half = [s for s in sites if two_s[s] == 1]
            if half:
                raise ClusterError(
                    f"{where}{name!r} is set on spin-1/2 sites {half}; "
                    f"{kind} term is identically zero for S = 1/2. Remove them."
                )
    if axial_g is True:
        axial_g = list(g_names)
    if isinstance(axial_g, (str, bytes)) or not isinstance(axial_g, Sequence | bool):
        raise ClusterError(
            f"{where}axial_g must be a list of g group names (or true for all), got {axial_g!r}."
        )
    axial_g = [] if axial_g is False else list(axial_g)
    unknown = [a for a in axial_g if a not in g_names]
    if unknown:
        raise ClusterError(
            f"{where}axial_g names {unknown}, which are not g groups; the g groups are "
            f"{list(g_names)}."
        )
    axial = tuple(name in axial_g for name in g_names)
    for name, is_axial in zip(g_names, axial, strict=True):
        if is_axial:
            taken.discard(name)
            for suffix in ("_par", "_perp"):
                _name(name + suffix, "axial g", where, taken)
    if isinstance(xxz, (str, bytes)) or not isinstance(xxz, Sequence):
        raise ClusterError(
            f"{where}xxz must be a list of coupling names such as ['J1'], got {xxz!r}."
        )
    xxz_names, xxz_classes = [], []
    for cls in xxz:
        if cls not in names:
            raise ClusterError(
                f"{where}xxz names {cls!r}, which is not a coupling; couplings are {names}."
            )
        xxz_names.append(_name(f"{cls}_z", "xxz", where, taken))
        xxz_classes.append(names.index(cls))
    try:
        fu = float(formula_units)
    except (TypeError, ValueError):
        fu = float("nan")
    if not fu > 0 or fu != fu:
        raise ModelFileError(
            f"{where}formula_units must be a positive number, got {formula_units!r}."
        )
    return ClusterSpec(
        two_s=two_s,
        coupling_names=tuple(names),
        bonds=tuple(classes),
        convention=str(convention).replace(" ", ""),
        prefactor=convention_prefactor(convention, where=where),
        energy_unit=energy_unit_name(energy_unit, where=where),
        formula_units=fu,
        g_names=g_names,
        g_sites=g_sites,
        d_names=d_names,
        d_sites=d_sites,
        e_names=e_names,
        e_sites=e_sites,
        axial_g=axial,
        xxz_names=tuple(xxz_names),
        xxz_classes=tuple(xxz_classes),
    )


#: The structure keywords of a cluster (checked by :func:`check_cluster`), as the solver
#: classes take them through ``**structure``.
STRUCTURE = frozenset(inspect.signature(check_cluster).parameters) - {"spins", "couplings", "where"}


def check_structure(
    spins: Sequence[Any],
    couplings: Mapping[str, Sequence[Sequence[int]]],
    structure: Mapping[str, Any],
    *,
    solver: str,
    own: set[str],
    where: str = "",
) -> ClusterSpec:
    """:func:`check_cluster` for a solver class named ``solver`` that takes the structure
    keywords as ``**structure`` and its own keywords ``own``: an unknown keyword is refused
    with the list of those it takes."""
    unknown = sorted(set(structure) - STRUCTURE)
    if unknown:
        raise ClusterError(f"{where + ': ' if where else ''}{solver} has no argument(s) "
                           f"{unknown}; it takes {sorted(STRUCTURE | own)}.")
    return check_cluster(spins, couplings, where=where, **structure)


def impurity_two_s(value: Any, where: str) -> int:
    """2 S of the paramagnetic impurities of the ``rho_imp`` term (``where``: message
    prefix ending in ": " or empty)."""
    try:
        return _spin(value, 0, "")
    except ClusterError:
        raise ClusterError(
            f"{where}impurity_spin = {value!r} must be a positive "
            "half-integer (0.5 for Cu(II) impurities)."
        ) from None
