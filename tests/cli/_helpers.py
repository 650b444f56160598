"""Shared helpers of the command-line tests (and of tests/results/test_report.py): the
straight-line model file ``y = a t + b`` (a in m/s, b in m, t in s) and the writing of a
model file with its data into a test folder."""

from __future__ import annotations

from pathlib import Path

#: The two free parameters of the line, Normal(0, 5) priors (model-file lines 5 and 6
#: when the file starts with the title, the kernel table and this table).
LINE_PARAMETERS = """[parameters]
a = { prior = "Normal", loc = 0.0, scale = 5.0, units = "m/s" }
b = { prior = "Normal", loc = 0.0, scale = 5.0, units = "m" }
"""

#: Four points near y = 2 t + 1 (t in s, y in m).
LINE_DATA = "t,y\n0,1\n1,3\n2,5.1\n3,6.9\n"


def line_model(inference: str, *, extra: str | None = None) -> str:
    """The model file of the line fitted to ``data.csv`` (dataset ``pos``, kernel
    ``function``); ``extra``: one more line of the dataset table (``None``: none);
    ``inference``: the lines of the ``[inference]`` table."""
    return (
        'title = "line"\n[kernel]\nname = "function"\n'
        + LINE_PARAMETERS
        + '[[datasets]]\nname = "pos"\nfile = "data.csv"\nx = "t"\ny = "y"\n'
        + 'x_units = "s"\ny_units = "m"\nexpression = "a * x + b"\n'
        + ("" if extra is None else extra + "\n")
        + "[inference]\n"
        + inference
    )


def write_model(folder: Path, text: str, data: str | bytes, name: str = "m.toml") -> Path:
    """Write the model file ``name`` and ``data.csv`` into ``folder``; the model's path."""
    model = folder / name
    model.write_text(text)
    (folder / "data.csv").write_bytes(data if isinstance(data, bytes) else data.encode())
    return model
