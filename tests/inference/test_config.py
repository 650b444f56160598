"""The run configuration stored with a result names each prior with its arguments."""

import json

import numpyro.distributions as dist

import bayesfit as bf
from bayesfit.inference._fit import describe_prior


def test_priors_are_described_by_their_arguments():
    assert describe_prior(dist.Uniform(-20.0, 0.0)) == "Uniform(low=-20, high=0)"
    assert describe_prior(dist.LogUniform(0.05, 1.0)) == "LogUniform(low=0.05, high=1)"
    assert describe_prior(dist.HalfNormal(3.0)) == "HalfNormal(scale=3)"


def test_fit_config_records_the_priors(conjugate):
    r = bf.fit(conjugate.problem(), bf.MAP(restarts=2), draws=20, seed=0, progress=False,
               predictive=False)
    config = json.loads(r.tree.attrs["config"])
    assert config["parameters"] == {"a": "Normal(loc=0.5, scale=2)",
                                    "b": "Normal(loc=0, scale=1.5)"}
