"""Covariance side files: the noise covariance of one data column, for correlated data.

Format (a CSV data file, see ``_csv.py``)::

    # covariance of column log_mi of mi.csv (bayesfit mi, 200 bootstrap replicates)
    # y: log_mi
    r,1,2,3
    1,0.0012,0.0009,0.0007
    2,0.0009,0.0011,0.0008
    3,0.0007,0.0008,0.0013

The first column holds the x value of each row; the other columns are named by the same x
values, in the same order. The ``# y:`` line names the data column the matrix belongs to.
A model file refers to it with ``covariance = "mi.cov.csv"`` in a ``[[datasets]]`` entry
(optionally ``jitter = true``).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from ..errors import DataFileError
from ._csv import read_table, write_table


def write_covariance(path, x, cov, *, x_name: str, y_name: str, header=()) -> Path:
    """Write ``cov`` (n, n) with row/column labels ``x`` (atomically)."""
    x = np.asarray(x, dtype=float)
    cov = np.asarray(cov, dtype=float)
    cols = {x_name: x} | {f"{v:.10g}": cov[:, i] for i, v in enumerate(x)}
    return write_table(path, cols, [*header, f"y: {y_name}"])


def read_covariance(path, x, *, y_name: str, where: str = "") -> np.ndarray:
    """The covariance matrix in ``path`` for data at ``x`` (column ``y_name``)."""
    path = Path(path)
    table = read_table(path)
    at = f"{where}: " if where else ""
    names = list(table.columns)
    x = np.asarray(x, dtype=float)
    rows = table.columns[names[0]]
    ys = [h.split(":", 1)[1].strip() for h in table.header if h.lower().startswith("y:")]
    if ys and ys[0] != y_name:
        raise DataFileError(f"{at}{path}: this covariance belongs to column {ys[0]!r}, but the "
                            f"dataset fits column {y_name!r}.")
    if rows.size != x.size or len(names) != x.size + 1:
        raise DataFileError(f"{at}{path}: covariance is {rows.size} x {len(names) - 1} but the "
                            f"data have {x.size} points; write it for the same rows.")
    try:
        labels = np.array([float(n) for n in names[1:]])
    except ValueError:
        raise DataFileError(f"{at}{path}: columns after the first must be named by the x "
                            f"values of the rows; got {names[1:4]} ...") from None
    if not (np.allclose(rows, x, rtol=1e-9, atol=1e-12)
            and np.allclose(labels, x, rtol=1e-9, atol=1e-12)):
        raise DataFileError(f"{at}{path}: rows/columns are for x = {rows[:4].tolist()} ... but "
                            f"the data have x = {x[:4].tolist()} ...; they must match.")
    return np.stack([table.columns[n] for n in names[1:]], axis=1)
