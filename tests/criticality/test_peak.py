"""Single-size peak model recovers T_c and gamma from data drawn from the model."""

import jax.numpy as jnp
import numpy as np
import pytest

import bayesfit  # noqa: F401
from bayesfit.criticality import SamplerOptions, fit_peak
from bayesfit.criticality._peak import peak_mean
from bayesfit.errors import BayesfitError


def test_peak_model_recovers_truth():
    rng = np.random.default_rng(4)
    t = np.linspace(0.5, 1.5, 25)
    truth = {"tc": 0.93, "gamma": 1.2, "log_delta": np.log(0.02), "c": 0.5}
    chi = np.exp(np.asarray(peak_mean({k: jnp.asarray(v) for k, v in truth.items()}, t)))
    dchi = 0.03 * chi
    res = fit_peak(t, chi * (1 + 0.03 * rng.standard_normal(t.size)), dchi,
                   SamplerOptions(num_warmup=200, num_samples=200, num_chains=1,
                                  n_starts=256, n_adam=100))
    for k in ("tc", "gamma"):
        lo, hi = res.interval(k)
        assert lo <= truth[k] <= hi, (k, lo, hi)
    lo, hi = res.interval("tc")
    assert hi - lo < 0.05


def test_peak_model_rejects_non_positive_chi():
    with pytest.raises(BayesfitError, match="positive"):
        fit_peak([1.0, 2.0], [1.0, -1.0], [0.1, 0.1])
