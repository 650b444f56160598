"""The curated public API and the error hierarchy."""

import bayesfit
from bayesfit import ebm


def test_public_names():
    for name in ("RBM", "RBMParams", "fit", "FitResult", "TrainSpec", "train_init",
                 "train_step", "ais_log_Z", "ais_log_Z_target", "ForwardKL", "ReverseKL",
                 "Jeffreys", "LogRatioVariance", "PairwiseLogRatio", "RatioDivergence",
                 "PCD", "Exact", "Metropolis", "ParallelTempering", "SK", "CurieWeiss",
                 "Ising2D", "BernoulliMixture", "CustomTarget", "Samples"):
        assert hasattr(ebm, name), name
    for sub in ("targets", "samplers", "objectives", "metrics"):
        assert hasattr(ebm, sub)
    from bayesfit.ebm.compare import compare_methods

    assert ebm.compare_methods is compare_methods  # lazily re-exported


def test_errors_are_bayesfit_errors():
    for err in (ebm.EnumerationTooLarge, ebm.ShapeError, ebm.UnknownObjective,
                ebm.OptionError):
        assert issubclass(err, bayesfit.BayesfitError)
