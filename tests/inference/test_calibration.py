"""Calibration: 50% and 90% intervals cover the truth at their nominal rates, noise level
estimated (30 datasets drawn from the prior; each fit compiles afresh, about 5 s)."""

import numpy as np
import numpyro.distributions as dist
from scipy import stats

import bayesfit as bf
from tests.conftest import line

N_DATASETS = 30
LEVELS = (0.5, 0.9)


def test_intervals_cover_at_nominal_rate():
    rng = np.random.default_rng(11)
    x = np.linspace(0, 1, 15)
    priors = {"a": dist.Normal(0, 2), "b": dist.Normal(0, 2)}
    hits = {(k, level): 0 for k in ("a", "b", "sigma_d") for level in LEVELS}
    for i in range(N_DATASETS):
        truth = {"a": rng.normal(0, 2), "b": rng.normal(0, 2),
                 "sigma_d": float(np.exp(rng.uniform(np.log(0.05), np.log(1.0))))}
        y = truth["a"] * x + truth["b"] + truth["sigma_d"] * rng.standard_normal(x.size)
        # the noise prior must be the one the truth was drawn from for exact calibration
        p = bf.Problem({**priors, "sigma_d": dist.LogUniform(0.05, 1.0)},
                       [bf.Dataset(x, y, model=line, name="d")])
        r = bf.fit(p, bf.NUTS(restarts=2), chains=1, draws=300, warmup=150, seed=i, progress=False,
                   predictive=False)
        for k, level in hits:
            lo, hi = np.quantile(r.draws(k), [(1 - level) / 2, (1 + level) / 2])
            hits[k, level] += lo <= truth[k] <= hi
    # binomial(30, level): accept the central 99.8% range of each count
    for (k, level), h in hits.items():
        lo, hi = stats.binom.ppf([0.001, 0.999], N_DATASETS, level)
        assert lo <= h <= hi, (k, level, h, (lo, hi))
