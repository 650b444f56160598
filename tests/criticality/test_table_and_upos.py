"""FSS tables from CSV (bad input names file and column), the UPOS reader against a
line count written here, and the autoregressive model's deterministic training."""

import numpy as np
import pytest

import bayesfit  # noqa: F401
from bayesfit.criticality import UPOS, read_fss_csv, read_upos, train_upos_model
from bayesfit.criticality._upos import upos_cross_entropy
from bayesfit.errors import DataFileError

# the reduced English EWT treebank shipped in data/ud/ (dev + test; ID, UPOS, HEAD, DEPREL;
# CC BY-SA 4.0, data/ud/README.md): the tests read only what the repository holds
EWT = __import__("pathlib").Path(__file__).resolve().parents[2] / "data" / "ud" / "en_ewt-upos.conllu"


def test_read_fss_csv_and_bad_inputs(tmp_path):
    good = tmp_path / "t.csv"
    good.write_text("# made by hand\nL,T,A,dA\n16,2.3,0.5,0.01\n8,2.2,0.6,0.02\n8,2.3,0.4,0.02\n")
    t = read_fss_csv(good)
    assert t.size.tolist() == [8, 8, 16] and t.temperature.tolist() == [2.2, 2.3, 2.3]
    bad = tmp_path / "bad.csv"
    bad.write_text("L,T,A,dA\n16,2.3,0.5,0.0\n8,2.2,0.6,0.02\n")
    with pytest.raises(DataFileError, match=r"bad.csv.*dA must be positive"):
        read_fss_csv(bad)
    one = tmp_path / "one.csv"
    one.write_text("L,T,A,dA\n16,2.3,0.5,0.1\n16,2.2,0.6,0.02\n")
    with pytest.raises(DataFileError, match="at least two sizes"):
        read_fss_csv(one)
    with pytest.raises(DataFileError, match="no value column named 'chi'"):
        read_fss_csv(good, value="chi")


def test_read_upos_counts_tags_like_a_line_scan():
    path = EWT
    tags = read_upos(path)
    want = []
    for line in path.read_text(encoding="utf-8").splitlines():
        cols = line.split("\t")
        if len(cols) == 10 and cols[0].isdigit():
            want.append(UPOS.index(cols[3]))
    assert tags.tolist() == want


def test_upos_model_training_is_deterministic_and_learns():
    tags = read_upos(EWT)[:8000]
    m1, l1 = train_upos_model(tags, steps=150, seed=3)
    _, l2 = train_upos_model(tags, steps=150, seed=3)
    assert np.array_equal(l1, l2)
    p = np.bincount(tags, minlength=len(UPOS)) / tags.size
    unigram = -np.sum(p[p > 0] * np.log(p[p > 0]))
    assert upos_cross_entropy(m1, tags) < unigram - 0.2  # uses the context
