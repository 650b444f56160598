"""Physical constants, exchange conventions and unit conversions for spin clusters.

Internally every energy is in kelvin (E / k_B), every field in tesla, every temperature in
kelvin. Constants come from :mod:`scipy.constants` (CODATA 2018); the cgs molar factors are
derived from them:

* ``MU_B_OVER_K`` = mu_B / k_B = 0.6717138 K/T
* ``CURIE_CGS`` = N_A mu_B^2 / k_B = 0.37514810 emu K/mol (cgs: mu_B in erg/G, k_B in erg/K)
* ``MU_B_MOLAR_CGS`` = N_A mu_B = 5584.94 emu/mol per mu_B per formula unit
* ``R_GAS`` = N_A k_B = 8.314462618 J/(mol K)

Reference: spin-cluster spec, sections 3-4 (``shared/specs/spin-clusters.md``).
"""

from __future__ import annotations

import math

import scipy.constants as _sc

from ..errors import UnitError as UnitError

MU_B_SI = _sc.physical_constants["Bohr magneton"][0]  # J/T
K_B_SI = _sc.k  # J/K
N_A = _sc.N_A  # 1/mol
MU_B_OVER_K = MU_B_SI / K_B_SI  # K/T
CURIE_CGS = N_A * (MU_B_SI * 1e3) ** 2 / (K_B_SI * 1e7)  # emu K/mol
MU_B_MOLAR_CGS = N_A * MU_B_SI * 1e3  # emu/mol per (mu_B / f.u.)
MU_B_MOLAR_SI = N_A * MU_B_SI  # A m^2/mol per (mu_B / f.u.)
R_GAS = N_A * K_B_SI  # J/(mol K)
CGS_TO_SI_CHI = 4.0 * math.pi * 1e-6  # m^3/mol per emu/mol
TESLA_PER_OE = 1e-4  # B [T] = mu_0 H for H in Oe (vacuum)

#: Prefactor c of ``H = c * sum_b J_b S_i.S_j`` for each convention name.
CONVENTIONS: dict[str, float] = {"+J": 1.0, "-J": -1.0, "-2J": -2.0, "+2J": 2.0}

#: Kelvin per unit of each accepted energy unit.
ENERGY_TO_K: dict[str, float] = {
    "K": 1.0,
    "meV": 1e-3 * _sc.e / K_B_SI,
    "cm-1": 100.0 * _sc.h * _sc.c / K_B_SI,
}
_ENERGY_ALIASES = {
    "k": "K",
    "kelvin": "K",
    "mev": "meV",
    "cm-1": "cm-1",
    "cm^-1": "cm-1",
    "1/cm": "cm-1",
    "wavenumber": "cm-1",
}


def convention_prefactor(convention: str, *, where: str = "") -> float:
    """Prefactor c of the exchange term for ``convention`` (``+J``, ``-J``, ``-2J``, ``+2J``)."""
    try:
        return CONVENTIONS[str(convention).replace(" ", "")]
    except KeyError:
        raise UnitError(
            f"{where}unknown exchange convention {convention!r}. Use one of "
            f"{', '.join(CONVENTIONS)}: H = c * sum J S_i.S_j with c = +1, -1, -2, +2."
        ) from None


def energy_unit_name(unit: str, *, where: str = "") -> str:
    """Canonical name (``K``, ``meV`` or ``cm-1``) of an energy unit, or a UnitError."""
    key = str(unit).strip().replace(" ", "")
    canonical = _ENERGY_ALIASES.get(key.lower())
    if canonical is None:
        raise UnitError(
            f"{where}unknown energy unit {unit!r} for the couplings. Use one of "
            f"{', '.join(ENERGY_TO_K)}."
        )
    return canonical


def _normalise(unit: str) -> str:
    return str(unit).strip().lower().replace(" ", "").replace("^", "").replace("·", "")


#: Output units of each observable family: canonical name -> (aliases, factor from the
#: internal unit). Internal units: chi in emu/mol, chi*T in emu K/mol, M in mu_B/f.u.,
#: C and S in J/(mol K), fields in T, temperatures in K.
_UNITS: dict[str, dict[str, tuple[tuple[str, ...], float]]] = {
    "susceptibility": {
        "emu/mol": (("emu/mol", "cm3/mol", "emu/(moloe)", "emu/mol/oe", "emu/(mol.oe)"), 1.0),
        "m^3/mol": (("m3/mol",), CGS_TO_SI_CHI),
    },
    "chiT": {
        "emu K/mol": (("emuk/mol", "cm3k/mol", "emu.k/mol", "cm3.k/mol", "emuk/(moloe)"), 1.0),
        "m^3 K/mol": (("m3k/mol", "m3.k/mol"), CGS_TO_SI_CHI),
    },
    "magnetization": {
        "mu_B/f.u.": (("mu_b/f.u.", "mub/f.u.", "mu_b", "mub", "mu_b/fu", "mub/fu"), 1.0),
        "emu/mol": (("emu/mol",), MU_B_MOLAR_CGS),
        "A m^2/mol": (("am2/mol", "a.m2/mol"), MU_B_MOLAR_SI),
    },
    "heat_capacity": {
        "J/(mol K)": (("j/(molk)", "j/mol/k", "j/(mol.k)", "j/molk", "j/k/mol"), 1.0),
        "mJ/(mol K)": (("mj/(molk)", "mj/mol/k", "mj/(mol.k)", "mj/molk", "mj/k/mol"), 1e3),
        "R": (("r", "c/r"), 1.0 / R_GAS),
    },
    "temperature": {"K": (("k",), 1.0)},
    "field": {
        "T": (("t", "tesla"), 1.0),
        "mT": (("mt",), 1e3),
        "Oe": (("oe", "g", "gauss"), 1.0 / TESLA_PER_OE),
        "kOe": (("koe",), 1e-3 / TESLA_PER_OE),
    },
}
_UNITS["entropy"] = _UNITS["heat_capacity"]


def unit_factor(family: str, unit: str, *, where: str = "") -> tuple[str, float]:
    """``(canonical_name, factor)`` with value_in_unit = factor * value_in_internal_unit.

    Internal units: chi emu/mol, chi*T emu K/mol, M mu_B/f.u., C and S J/(mol K), T K,
    B tesla. Raises :class:`UnitError` naming the accepted units when ``unit`` is unknown.
    """
    table = _UNITS[family]
    key = _normalise(unit)
    for name, (aliases, factor) in table.items():
        if key == _normalise(name) or key in aliases:
            return name, factor
    raise UnitError(f"{where}unknown unit {unit!r} for {family}. Accepted: {', '.join(table)}.")


def chi_unit(unit: str, *, where: str = "") -> tuple[str, float, bool]:
    """``(name, factor, times_T)`` for a susceptibility unit (chi) or a chi*T unit."""
    for family, times_t in (("susceptibility", False), ("chiT", True)):
        try:
            name, factor = unit_factor(family, unit)
            return name, factor, times_t
        except UnitError:
            pass
    raise UnitError(
        f"{where}unknown unit {unit!r} for susceptibility. Accepted: "
        f"{', '.join(_UNITS['susceptibility'])} (chi) or {', '.join(_UNITS['chiT'])} (chi*T)."
    )
