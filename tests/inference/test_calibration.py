"""Calibration: 90% intervals cover the truth 90% of the time, noise level estimated."""

import numpy as np
import numpyro.distributions as dist
from scipy import stats

import bayesfit as bf
from tests.conftest import line

N_DATASETS = 50


def test_90_percent_intervals_cover_at_nominal_rate():
    rng = np.random.default_rng(11)
    x = np.linspace(0, 1, 15)
    priors = {"a": dist.Normal(0, 2), "b": dist.Normal(0, 2)}
    hits = {"a": 0, "b": 0, "sigma_d": 0}
    for i in range(N_DATASETS):
        truth = {"a": rng.normal(0, 2), "b": rng.normal(0, 2),
                 "sigma_d": float(np.exp(rng.uniform(np.log(0.05), np.log(1.0))))}
        y = truth["a"] * x + truth["b"] + truth["sigma_d"] * rng.standard_normal(x.size)
        # the noise prior must be the one the truth was drawn from for exact calibration
        p = bf.Problem({**priors, "sigma_d": dist.LogUniform(0.05, 1.0)},
                       [bf.Dataset(x, y, model=line, name="d")])
        r = bf.fit(p, bf.NUTS(restarts=2), chains=1, draws=300, warmup=150, seed=i, progress=False,
                   predictive=False)
        for k in hits:
            lo, hi = np.quantile(r.draws(k), [0.05, 0.95])
            hits[k] += lo <= truth[k] <= hi
    # binomial(50, 0.9): accept the central 99.8% range
    lo, hi = stats.binom.ppf([0.001, 0.999], N_DATASETS, 0.9)
    for k, h in hits.items():
        assert lo <= h <= hi, (k, h, (lo, hi))
