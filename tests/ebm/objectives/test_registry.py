import pytest

from bayesfit.ebm import LogRatioVariance, OptionError, PairwiseLogRatio, UnknownObjective
from bayesfit.ebm.objectives import ForwardKL, make, names


def test_names_map_to_objects():
    assert make("fkl") == ForwardKL()
    assert make("ratio_divergence") == PairwiseLogRatio()
    assert make("logratio_var", reference="data") == LogRatioVariance("data")
    assert make("RD-C") == LogRatioVariance("mixture")
    assert "rd" in names()


def test_unknown_names_and_options():
    with pytest.raises(UnknownObjective, match="choose one of"):
        make("kl_reverse_typo")
    with pytest.raises(UnknownObjective, match="does not take"):
        make("fkl", reference="data")
    with pytest.raises(OptionError, match="reference"):
        LogRatioVariance("prior")
    with pytest.raises(OptionError, match="mix"):
        LogRatioVariance("mixture", mix=1.5)
