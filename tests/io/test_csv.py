"""Data files: valid files load; every malformed one gets a message with file and line."""

import numpy as np
import pytest

from bayesfit.errors import DataFileError
from bayesfit.io import read_table, write_table


def _write(tmp_path, text, name="d.csv"):
    p = tmp_path / name
    p.write_text(text)
    return p


def test_reads_header_units_and_columns(tmp_path):
    p = _write(tmp_path, "# source: test\n# units: T = K, chi = emu/mol\nT,chi\n1,2\n3,4\n")
    t = read_table(p)
    np.testing.assert_array_equal(t.column("T"), [1, 3])
    assert t.units == {"T": "K", "chi": "emu/mol"}
    assert t.header[0] == "source: test"


def test_round_trip(tmp_path):
    p = write_table(tmp_path / "x.csv", {"a": np.arange(3.0), "b": np.ones(3)}, ["hello"])
    t = read_table(p)
    np.testing.assert_array_equal(t.column("b"), np.ones(3))


@pytest.mark.parametrize(
    "text, needle",
    [
        ("T,chi\n1,2\n3,nan\n", "d.csv:3: column 'chi' holds a non-finite"),
        ("T,chi\n1,2\n3,abc\n", "d.csv:3: column 'chi' holds 'abc'"),
        ("T,chi\n1,2\n3\n", "d.csv:3: 1 values but 2 columns"),
        ("T,chi\n", "no data rows"),
        ("# only comments\n", "no header row"),
        ("T,T\n1,2\n", "repeated column names"),
    ],
)
def test_malformed_files(tmp_path, text, needle):
    with pytest.raises(DataFileError, match=needle.replace("(", r"\(")):
        read_table(_write(tmp_path, text))


def test_missing_file_and_column(tmp_path):
    with pytest.raises(DataFileError, match="not found"):
        read_table(tmp_path / "nope.csv")
    t = read_table(_write(tmp_path, "T,chi\n1,2\n"))
    with pytest.raises(DataFileError, match="no x column named 'temp'.*columns \\['T', 'chi'\\]"):
        t.column("temp", what="x column")
