"""Finite-size data tables: rows (L, T, A, dA) of an observable A_L(T) with errors.

``L`` is the system size (lattice side, sequence length), ``T`` the temperature (any
unit; T_c comes out in the same unit), ``A`` the observable and ``dA`` its standard
error (same unit as A). From arrays (:func:`fss_table`) or a CSV file
(:func:`read_fss_csv`, ``#`` header lines allowed, errors name the file and column).
"""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

import numpy as np

from ..errors import BayesfitError, DataFileError


class FSSTable(NamedTuple):
    """Finite-size data, one row per (L, T); rows sorted by L then T."""

    size: np.ndarray
    temperature: np.ndarray
    value: np.ndarray
    error: np.ndarray

    @property
    def sizes(self) -> np.ndarray:
        return np.unique(self.size)

    def select(self, sizes=None, t_range=None) -> FSSTable:
        """Rows with L in ``sizes`` and T in the closed interval ``t_range``."""
        keep = np.ones(self.size.shape, bool)
        if sizes is not None:
            keep &= np.isin(self.size, np.asarray(sizes))
        if t_range is not None:
            keep &= (self.temperature >= t_range[0]) & (self.temperature <= t_range[1])
        return fss_table(*(a[keep] for a in self))


def fss_table(size, temperature, value, error, *, source: str = "fss_table") -> FSSTable:
    """Validate and sort finite-size data; raise :class:`BayesfitError` on bad input."""
    arrs = [np.asarray(a, dtype=np.float64).ravel() for a in (size, temperature, value, error)]
    names = ("L", "T", "A", "dA")
    n = arrs[0].size
    for name, a in zip(names, arrs, strict=False):
        if a.size != n:
            raise BayesfitError(f"{source}: column {name} has {a.size} values, L has {n}; "
                                "give one value per row.")
        bad = np.flatnonzero(~np.isfinite(a))
        if bad.size:
            raise BayesfitError(f"{source}: column {name} row {bad[0]} is {a[bad[0]]}; "
                                "every value must be finite.")
    if np.any(arrs[0] <= 0):
        i = int(np.flatnonzero(arrs[0] <= 0)[0])
        raise BayesfitError(f"{source}: size L must be positive, row {i} has {arrs[0][i]}.")
    if np.any(arrs[3] <= 0):
        i = int(np.flatnonzero(arrs[3] <= 0)[0])
        raise BayesfitError(f"{source}: error dA must be positive, row {i} has {arrs[3][i]}; "
                            "give the standard error of A.")
    if np.unique(arrs[0]).size < 2:
        raise BayesfitError(f"{source}: finite-size scaling needs at least two sizes L, got "
                            f"{np.unique(arrs[0]).tolist()}; use fit_peak for one size.")
    order = np.lexsort((arrs[1], arrs[0]))
    return FSSTable(*(a[order] for a in arrs))


def read_fss_csv(path, *, size: str = "L", temperature: str = "T", value: str = "A",
                 error: str = "dA") -> FSSTable:
    """Read a CSV table with columns ``size, temperature, value, error`` (names given)."""
    from ..io import read_table  # CSV reader with file/line errors

    path = Path(path)
    table = read_table(path)
    cols = [table.column(c, what=f"{role} column") for c, role in
            ((size, "size"), (temperature, "temperature"), (value, "value"), (error, "error"))]
    try:
        return fss_table(*cols, source=str(path))
    except BayesfitError as exc:
        raise DataFileError(str(exc)) from None
