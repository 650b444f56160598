"""Shared fixtures of the REMC tests (models in ``helpers.py``)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

import bayesfit

from .helpers import make_linear_gaussian


@pytest.fixture(scope="session")
def linear_gaussian():
    return make_linear_gaussian()


@pytest.fixture(scope="session")
def linear_fit(linear_gaussian, tmp_path_factory):
    """One REMC fit of the conjugate model, shared by the evidence, comparison and figure
    tests (all in ``test_evidence.py``, so it is made once per run; saved to ``linear.nc``
    with pointwise log likelihoods)."""
    res = bayesfit.fit(linear_gaussian.problem, bayesfit.REMC(reference="prior", replicas=16), chains=8, draws=1500,
                       warmup=600, seed=1, progress=False, log_likelihood=True)
    path = tmp_path_factory.mktemp("remc") / "linear.nc"
    res.save(path)
    return SimpleNamespace(result=res, path=path)


@pytest.fixture(scope="session")
def noise_data():
    return make_linear_gaussian(n=100, sigma=0.3, seed=4, known=False)


@pytest.fixture(scope="session")
def noise_fit(noise_data):
    """REMC with the noise level at the minimum of the free energy (100 points); its tests,
    the figure's included, are all in ``test_noise.py``."""
    return bayesfit.fit(noise_data.problem, bayesfit.REMC(noise="free_energy"), chains=4,
                        draws=2000, warmup=500, seed=2, progress=False)
