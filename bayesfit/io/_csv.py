"""Data files: CSV with ``#`` header lines for provenance and units.

Format::

    # Provenance lines (source, licence, how the data were made) ...
    # units: T_K = K, chi = emu/mol        (optional; declares column units)
    T_K,chi
    2.0,0.0123
    ...

The first non-``#`` line names the columns. Every value must parse as a finite number
with magnitude <= 1e100; errors name the file, line and column. Files are UTF-8 (a
byte-order mark is dropped); binary files, UTF-16 and ';' or tab delimiters are reported
as such.
"""

from __future__ import annotations

import csv
import io
import math
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .._atomic import write_text_atomic
from ..errors import DataFileError

#: largest magnitude accepted in a data file (squares and sums of squares stay finite)
MAX_ABS = 1e100


@dataclass
class Table:
    """Columns of a data file, its ``#`` header lines and any declared units."""

    path: Path
    columns: dict[str, np.ndarray]
    header: list[str] = field(default_factory=list)
    units: dict[str, str] = field(default_factory=dict)
    lines: np.ndarray | None = None  # file line of every data row (1-based)

    def line(self, row: int) -> int | None:
        """The file line of data row ``row`` (0-based), if known."""
        return None if self.lines is None else int(self.lines[row])

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
    text = _read_text(path)
    header, units, names, rows, lines = [], {}, None, [], []
    for lineno, row in enumerate(csv.reader(io.StringIO(text, newline="")), start=1):
        if not row or all(not c.strip() for c in row):
            continue
        if row[0].lstrip().startswith("#"):
            note = ",".join(row).lstrip()[1:].strip()
            header.append(note)
            if note.lower().startswith("units:"):
                units.update(_parse_units(note))
            continue
        if names is None:
            _check_delimiter(path, lineno, row)
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
            if abs(v) > MAX_ABS:
                raise DataFileError(
                    f"{path}:{lineno}: column {name!r} holds {cell.strip()}, beyond the "
                    f"range bayesfit can fit (|value| <= {MAX_ABS:g}: squares and sums "
                    "must not overflow); fix the value or give the column in other units."
                )
            vals.append(v)
        rows.append(vals)
        lines.append(lineno)
    if names is None:
        raise DataFileError(f"{path}: no header row with column names was found.")
    if not rows:
        raise DataFileError(f"{path}: the file has a header but no data rows.")
    data = np.asarray(rows, dtype=np.float64)
    return Table(path, {n: data[:, i] for i, n in enumerate(names)}, header, units,
                 np.asarray(lines, dtype=int))


def _read_text(path: Path) -> str:
    """The file as text: UTF-8 (a byte-order mark is dropped); binary files and other
    encodings get a message instead of a UnicodeDecodeError."""
    raw = path.read_bytes()
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise DataFileError(f"{path}: the file is UTF-16 text; save it as UTF-8 (or ASCII) "
                            "comma-separated values.")
    if b"\x00" in raw[:4096]:
        raise DataFileError(f"{path}: this is a binary file, not a text data file; export the "
                            "data as comma-separated text (CSV) and point 'file' at that.")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = raw[:err.start].count(b"\n") + 1
        raise DataFileError(
            f"{path}:{line}: byte 0x{raw[err.start]:02x} is not UTF-8 text; save the file as "
            "UTF-8 (or ASCII) comma-separated values."
        ) from None


def _check_delimiter(path: Path, lineno: int, row: list[str]) -> None:
    """A header read as one column but holding ';' or tabs: another delimiter."""
    if len(row) != 1:
        return
    for sep, name in ((";", "semicolons"), ("\t", "tabs")):
        if sep in row[0]:
            raise DataFileError(
                f"{path}:{lineno}: the columns are separated by {name} ({row[0].strip()!r}); "
                "bayesfit reads comma-separated values with '.' as the decimal point: "
                f"replace the {name} by commas (and decimal commas by points)."
            )


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
