"""Quantum Design MPMS ``.dat`` exports -> molar susceptibility and magnetization.

The file has a ``[Header]`` block (``INFO``/``TITLE``/... lines and ``;`` comments) and a
``[Data]`` section: one row of column names (``Temperature (K)``, ``Field (Oe)`` or
``Magnetic Field (Oe)``, ``Long Moment (emu)`` (MPMS-XL), ``Moment (emu)`` or
``DC Moment Fixed Ctr (emu)`` (MPMS3) and their error columns), then comma-separated rows
in which empty cells are allowed.

Conversions (cgs-emu, as magnetochemists use them):

- amount of substance n = m / M (sample mass over molar mass of one formula unit);
- chi_raw = moment / (H n) [emu/mol] with H in Oe;
- chi = chi_raw - chi_dia, where ``diamagnetic_emu_per_mol`` is the (negative) core
  diamagnetism (Pascal's constants) per formula unit;
- M = moment / (n N_A mu_B) [mu_B per formula unit], N_A mu_B = 5584.94 emu/mol;
- the per-point standard errors carried through the same factors become known noise.

Reference: Quantum Design, "MPMS3 Application Note 1500-020" (data file format); Bain &
Berry, J. Chem. Educ. 85, 532 (2008) (diamagnetic corrections).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy import constants as sc

from ..errors import DataFileError
from ._csv import Table

NA_MUB_EMU = sc.N_A * sc.physical_constants["Bohr magneton"][0] * 1e3  # emu/mol per mu_B
MOMENT_COLUMNS = ("DC Moment Fixed Ctr (emu)", "Moment (emu)", "Long Moment (emu)",
                  "DC Moment Free Ctr (emu)")
ERROR_COLUMNS = {
    "DC Moment Fixed Ctr (emu)": ("DC Moment Err Fixed Ctr (emu)",),
    "DC Moment Free Ctr (emu)": ("DC Moment Err Free Ctr (emu)",),
    "Moment (emu)": ("M. Std. Err. (emu)",),
    "Long Moment (emu)": ("Long Scan Std Dev", "Long Scan Std Dev (emu)"),
}
TEMPERATURE_COLUMNS = ("Temperature (K)",)
FIELD_COLUMNS = ("Magnetic Field (Oe)", "Field (Oe)")


@dataclass(frozen=True)
class Sample:
    """What converts a moment into molar quantities.

    mass_mg: sample mass [mg]; molar_mass_g_per_mol: per formula unit [g/mol];
    diamagnetic_emu_per_mol: core diamagnetic susceptibility per formula unit [emu/mol]
    (negative; subtracted); moment_column: force a moment column.
    """

    mass_mg: float
    molar_mass_g_per_mol: float
    diamagnetic_emu_per_mol: float = 0.0
    moment_column: str | None = None

    def __post_init__(self):
        for name in ("mass_mg", "molar_mass_g_per_mol"):
            v = getattr(self, name)
            if not (isinstance(v, int | float) and v > 0):
                raise DataFileError(f"sample {name} must be a positive number, got {v!r}.")

    @property
    def moles(self) -> float:
        return self.mass_mg * 1e-3 / self.molar_mass_g_per_mol


def _pick(names, candidates, path, what):
    for c in candidates:
        if c in names:
            return c
    raise DataFileError(f"{path}: no {what} column; looked for {list(candidates)}, the [Data] "
                        f"section has {names[:12]}{' ...' if len(names) > 12 else ''}.")


def read_mpms(path: str | Path, sample: Sample) -> Table:
    """Read an MPMS ``.dat`` file into a :class:`Table` of molar quantities.

    Columns: ``T_K``, ``B_T`` (= H/10^4), ``moment_emu``, ``chi_emu_per_mol``,
    ``chi_err_emu_per_mol``, ``chiT_emuK_per_mol``, ``M_muB_per_fu``, ``M_err_muB_per_fu``.
    Rows without temperature, field or moment are dropped; a zero field is refused.
    """
    path = Path(path)
    if not path.is_file():
        raise DataFileError(f"{path}: MPMS file not found.")
    lines = path.read_text(errors="replace").splitlines()
    try:
        start = next(i for i, line in enumerate(lines) if line.strip().lower() == "[data]")
    except StopIteration:
        raise DataFileError(f"{path}: no [Data] section; is this an MPMS .dat export?") from None
    header = [line for line in lines[:start] if line.strip() and line.strip() != "[Header]"]
    rows = list(csv.reader(lines[start + 1:]))
    if not rows:
        raise DataFileError(f"{path}: the [Data] section is empty.")
    names = [c.strip() for c in rows[0]]
    t_col = _pick(names, TEMPERATURE_COLUMNS, path, "temperature")
    h_col = _pick(names, FIELD_COLUMNS, path, "field")
    m_col = _pick(names, (sample.moment_column,) if sample.moment_column else MOMENT_COLUMNS,
                  path, "moment")
    e_col = next((c for c in ERROR_COLUMNS.get(m_col, ()) if c in names), None)
    want = [t_col, h_col, m_col] + ([e_col] if e_col else [])
    idx = [names.index(c) for c in want]
    data = []
    for lineno, row in enumerate(rows[1:], start=start + 3):
        cells = [row[i].strip() if i < len(row) else "" for i in idx]
        if not all(cells[:3]):
            continue
        try:
            vals = [float(c) if c else np.nan for c in cells]
        except ValueError as err:
            raise DataFileError(f"{path}:{lineno}: {err}; expected numbers in {want}.") from None
        if not np.all(np.isfinite(vals[:3])):
            raise DataFileError(f"{path}:{lineno}: non-finite temperature/field/moment.")
        data.append(vals)
    if not data:
        raise DataFileError(f"{path}: no complete rows (temperature, field and moment).")
    arr = np.asarray(data)
    T, H, m = arr[:, 0], arr[:, 1], arr[:, 2]
    if np.any(T <= 0):
        raise DataFileError(f"{path}: temperatures must be > 0 K (min {T.min():g}).")
    if np.any(H == 0):
        raise DataFileError(f"{path}: rows with zero field cannot give chi = M/H; remove them.")
    n = sample.moles
    chi = m / (H * n) - sample.diamagnetic_emu_per_mol
    err = arr[:, 3] if e_col else np.full_like(m, np.nan)
    cols = {
        "T_K": T, "B_T": H * 1e-4, "moment_emu": m,
        "chi_emu_per_mol": chi, "chi_err_emu_per_mol": np.abs(err / (H * n)),
        "chiT_emuK_per_mol": chi * T,
        "M_muB_per_fu": m / (n * NA_MUB_EMU), "M_err_muB_per_fu": np.abs(err / (n * NA_MUB_EMU)),
    }
    units = {"T_K": "K", "B_T": "T", "moment_emu": "emu", "chi_emu_per_mol": "emu/mol",
             "chi_err_emu_per_mol": "emu/mol", "chiT_emuK_per_mol": "emu K/mol",
             "M_muB_per_fu": "mu_B/f.u.", "M_err_muB_per_fu": "mu_B/f.u."}
    header.append(f"converted by bayesfit.io.read_mpms: moment column {m_col!r}, "
                  f"{sample.mass_mg} mg, M = {sample.molar_mass_g_per_mol} g/mol, "
                  f"chi_dia = {sample.diamagnetic_emu_per_mol} emu/mol")
    return Table(path, cols, header, units)
