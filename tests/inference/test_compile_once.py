"""The likelihood is traced a bounded number of times, not once per sampler step.

Both runs store more than one batch of draws (256), so building the result tree takes
the same code path; any extra trace would come from the sampling loop.
"""

import numpy as np
import numpyro.distributions as dist

import bayesfit as bf


def _count_traces(method, draws):
    calls = {"n": 0}

    def model(p, x):
        calls["n"] += 1  # runs only while JAX traces the function
        return p["a"] * x

    x = np.linspace(0, 1, 10)
    p = bf.Problem({"a": dist.Normal(0, 1)}, [bf.Dataset(x, x, sigma=0.1, model=model)])
    bf.fit(p, method, chains=2, draws=draws, warmup=draws, seed=0, progress=False)
    return calls["n"]


def test_nuts_traces_do_not_grow_with_steps():
    few, many = _count_traces("nuts", 150), _count_traces("nuts", 400)
    assert few == many
    assert many < 40


def test_emcee_traces_do_not_grow_with_steps():
    few, many = _count_traces("emcee", 150), _count_traces("emcee", 400)
    assert few == many
