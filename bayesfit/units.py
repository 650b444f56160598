"""Unit names bayesfit understands, and a validator that names what it does not know.

Units are strings such as ``"K"``, ``"emu/mol"``, ``"emu K/mol"``, ``"J/(mol K)"``,
``"mu_B/f.u."`` or ``"m^3/mol"``: products and quotients of known symbols with integer
powers. Physics kernels convert between the units they support; this module only checks
spelling so that a typo fails early with a clear message.
"""

from __future__ import annotations

import re

from .errors import UnitError

SYMBOLS = frozenset({
    # temperature, energy
    "K", "mK", "meV", "eV", "J", "kJ", "cm-1", "cm^-1", "GHz", "THz", "kcal", "cal",
    # field, magnetic moment
    "T", "mT", "Oe", "kOe", "G", "emu", "mu_B", "A", "Am^2",
    # amount, length, volume, mass, time
    "mol", "f.u.", "fu", "m", "cm", "mm", "nm", "g", "mg", "kg", "s", "ms", "h", "min",
    # dimensionless and generic
    "1", "%", "rad", "deg", "nat", "nats", "bit", "arb", "a.u.", "step", "steps", "epoch",
    "sample", "samples", "count", "counts",
})

_TOKEN = re.compile(r"^(?P<sym>[A-Za-z_%.\-0-9]+?)(\^(?P<pow>-?\d+))?$")


def _tokens(unit: str) -> list[str]:
    cleaned = unit.replace("(", " ").replace(")", " ").replace("*", " ").replace("/", " ")
    cleaned = cleaned.replace("·", " ")
    return [t for t in cleaned.split() if t]


def check_unit(unit: str, *, what: str = "unit") -> str:
    """Return ``unit`` if every symbol in it is known, else raise :class:`UnitError`."""
    if not isinstance(unit, str):
        raise UnitError(f"{what}: units must be a string like 'K' or 'emu/mol', got {unit!r}.")
    for tok in _tokens(unit):
        if tok in SYMBOLS:
            continue
        m = _TOKEN.match(tok)
        if m and m.group("sym") in SYMBOLS:
            continue
        raise UnitError(
            f"{what}: unknown unit {tok!r} in {unit!r}. Known symbols: "
            f"{', '.join(sorted(SYMBOLS))} (combine with spaces, '/', '^n', parentheses)."
        )
    return unit
