"""Unusable input gives a clear error naming the file/line or argument (CLI: exit 2)."""

import numpy as np
import pytest

from bayesfit import sequences as sq
from bayesfit.cli.main import main
from bayesfit.errors import BayesfitError

GOOD = "# newdoc id = d1\n1\tA\ta\tNOUN\t_\t_\t2\tnsubj\t_\t_\n2\tb\tb\tVERB\t_\t_\t0\troot\t_\t_\n\n"


def write(tmp_path, text, name="c.conllu"):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def test_empty_conllu_names_the_file(tmp_path):
    p = write(tmp_path, "")
    with pytest.raises(BayesfitError, match=r"c\.conllu: no sentences found"):
        sq.read_conllu(p)


@pytest.mark.parametrize("bad, where", [
    ("1\tA\ta\tNOUN\t_\t_\tx\tnsubj\t_\t_\n", ":6: not valid CoNLL-U"),
    ("1\tA\ta\tNOUN\n", ":6: word 1 has UPOS"),
    ("1\tA\ta\tNOUN\t_\t_\t0\troot\t_\t_\n2\tb\tb\tVERB\t_\t_\t0\troot\t_\t_\n",  ":5: the sentence has 2 roots"),
    ("1\tA\ta\tNOUN\t_\t_\t0\troot\t_\t_\n2\tb\tb\tVERB\t_\t_\t3\tdep\t_\t_\n"
     "3\tc\tc\tVERB\t_\t_\t2\tdep\t_\t_\n", ":5: the HEAD column has a cycle"),
])
def test_malformed_conllu_names_file_and_line(tmp_path, bad, where):
    p = write(tmp_path, GOOD + "# sent_id = 2\n" + bad)
    with pytest.raises(BayesfitError) as err:
        sq.read_conllu(p)
    assert str(p) in str(err.value) and where in str(err.value)


def test_lag_longer_than_every_sequence():
    with pytest.raises(BayesfitError, match=r"max_lag = 10 but the longest sequence has 6"):
        sq.mutual_information([[0, 1, 0, 1, 1, 0], [1, 0]], 10)
    with pytest.raises(BayesfitError, match="max_lag = 0 must be an integer >= 1"):
        sq.mutual_information([[0, 1, 0, 1, 1, 0]], 0)


@pytest.mark.parametrize("seqs", [[["a"] * 20], [[3] * 10, [3] * 12]])
def test_single_symbol_and_identical_sequences(seqs):
    with pytest.raises(BayesfitError, match="one symbol only"):
        sq.bootstrap_curve(seqs, 3, replicates=10)


def test_no_sequences_and_bad_options():
    with pytest.raises(BayesfitError, match="no sequences"):
        sq.mutual_information([], 2)
    with pytest.raises(BayesfitError, match="estimator"):
        sq.mutual_information([[0, 1, 1, 0]], 1, estimator="nsb")
    with pytest.raises(BayesfitError, match="distance"):
        sq.bootstrap_curve([[0, 1, 1, 0]], 1, distance="tree")
    with pytest.raises(BayesfitError, match="needs trees"):
        sq.bootstrap_curve([[0, 1, 1, 0]], 1, distance="structural")


def test_cli_errors_exit_2_without_traceback(tmp_path, capsys):
    p = write(tmp_path, GOOD * 3)
    out = tmp_path / "mi.csv"
    assert main(["mi", str(p), "--max-lag", "5", "--out", str(out), "--no-progress"]) == 2
    assert "longest sequence has" in capsys.readouterr().err
    bad = write(tmp_path, "", "empty.conllu")
    assert main(["mi", str(bad), "--max-lag", "1", "--out", str(out)]) == 2
    assert "no sentences found" in capsys.readouterr().err
    out.write_text("keep")
    assert main(["mi", str(p), "--max-lag", "1", "--out", str(out)]) == 2
    assert "--force" in capsys.readouterr().err
    assert out.read_text() == "keep"


def test_integer_symbols_must_be_non_negative():
    with pytest.raises(BayesfitError, match=">= 0"):
        sq.mutual_information(np.array([[0, -1, 1, 0]]), 1)
