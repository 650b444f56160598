"""Data files: CSV with ``#`` header lines for provenance and units.

Format::

    # Provenance lines (source, licence, how the data were made) ...
    # units: T_K = K, chi = emu/mol        (optional; declares column units)
    T_K,chi
    2.0,0.0123
    ...

The first non-``#`` line names the columns. Every value must parse as a finite number;
errors name the file, line and column.
"""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .._atomic import write_text_atomic
from ..errors import DataFileError


@dataclass
class Table:
    """Columns of a data file, its ``#`` header lines and any declared units."""

    path: Path
    columns: dict[str, np.ndarray]
    header: list[str] = field(default_factory=list)
    units: dict[str, str] = field(default_factory=dict)

    def column(self, name: str, *, what: str = "column") -> np.ndarray:
        if name not in self.columns:
            raise DataFileError(
                f"{self.path}: no {what} named {name!r}; the file has columns "
                f"{list(self.columns)}. Fix the column name in the model file."
            )
        return self.columns[name]


def _parse_units(line: str) -> dict[str, str]:
    body = line.split(":", 1)[1]
    out = {}
    for part in body.split(","):
        if "=" in part:
            k, v = part.split("=", 1)
            out[k.strip()] = v.strip()
    return out


def read_table(path: str | Path) -> Table:
    """Read a CSV data file; raise :class:`DataFileError` with file/line on any problem."""
    path = Path(path)
    if not path.is_file():
        raise DataFileError(f"{path}: data file not found. Check the 'file' path in the "
                            "model file (relative paths are relative to the model file).")
    header, units, names, rows = [], {}, None, []
    with path.open(newline="") as fh:
        for lineno, row in enumerate(csv.reader(fh), start=1):
            if not row or all(not c.strip() for c in row):
                continue
            if row[0].lstrip().startswith("#"):
                text = ",".join(row).lstrip()[1:].strip()
                header.append(text)
                if text.lower().startswith("units:"):
                    units.update(_parse_units(text))
                continue
            if names is None:
                names = [c.strip() for c in row]
                if len(set(names)) != len(names):
                    raise DataFileError(f"{path}:{lineno}: repeated column names {names}.")
                continue
            if len(row) != len(names):
                raise DataFileError(
                    f"{path}:{lineno}: {len(row)} values but {len(names)} columns {names}."
                )
            vals = []
            for name, cell in zip(names, row, strict=True):
                try:
                    v = float(cell)
                except ValueError:
                    raise DataFileError(
                        f"{path}:{lineno}: column {name!r} holds {cell.strip()!r}, not a number."
                    ) from None
                if not math.isfinite(v):
                    raise DataFileError(
                        f"{path}:{lineno}: column {name!r} holds a non-finite value "
                        f"({cell.strip()}); remove the row or fix the value."
                    )
                vals.append(v)
            rows.append(vals)
    if names is None:
        raise DataFileError(f"{path}: no header row with column names was found.")
    if not rows:
        raise DataFileError(f"{path}: the file has a header but no data rows.")
    data = np.asarray(rows, dtype=np.float64)
    return Table(path, {n: data[:, i] for i, n in enumerate(names)}, header, units)


def write_table(path: str | Path, columns: dict[str, np.ndarray], header: list[str], *,
                digits: int = 10) -> Path:
    """Write columns as a CSV data file (atomically) with ``#`` header lines; values with
    ``digits`` significant digits."""
    names = list(columns)
    arrs = [np.asarray(columns[n], dtype=float) for n in names]
    lines = [f"# {h}" if h else "#" for h in header]
    lines.append(",".join(names))
    for i in range(len(arrs[0])):
        lines.append(",".join(f"{a[i]:.{digits}g}" for a in arrs))
    return write_text_atomic(path, "\n".join(lines) + "\n")
