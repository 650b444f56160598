"""Bayesian finite-size scaling: recovery with coverage on synthetic data, and the
scaling check on data that do not depend on L."""

import numpy as np

import bayesfit  # noqa: F401
from bayesfit.criticality import (
    FSSModel,
    SamplerOptions,
    check_scaling,
    fit_fss,
    fit_fss_joint,
    fss_table,
    scaling_function,
    synthetic_fss,
)

FAST = SamplerOptions(num_warmup=200, num_samples=200, num_chains=1, n_starts=256,
                      n_adam=100, seed=0)
TRUE = {"tc": 1.0, "c1": 1.0, "c2": 0.5}


def test_collapse_recovers_known_exponents_with_coverage():
    seeds = range(4)
    tables = [synthetic_fss(sizes=(8, 16, 32), temperatures=np.linspace(0.8, 1.2, 10),
                            rel_error=0.03, seed=s) for s in seeds]
    # independent tables: the joint posterior is a product, one NUTS run for all seeds
    res = fit_fss_joint(tables, shared=(), options=FAST)
    for name, truth in TRUE.items():
        hits = 0
        for i in seeds:
            lo, hi = res.interval(f"{name}_{i}")
            hits += lo <= truth <= hi
            assert hi - lo < 0.2, (name, i, lo, hi)  # informative, not just wide
        assert hits >= 3, (name, hits)  # 95 % intervals: at most one miss in four


def test_no_size_dependence_is_reported_as_no_scaling():
    rng = np.random.default_rng(0)
    size, temp = (a.ravel() for a in np.meshgrid([8.0, 16, 32], np.linspace(0.75, 1.25, 10),
                                                 indexing="ij"))
    value = scaling_function((temp - 1.0) * 5.0)
    err = 0.02 * np.ones_like(value)
    table = fss_table(size, temp, value + err * rng.standard_normal(value.shape), err)
    res = fit_fss(table, FSSModel(), FAST)
    check = check_scaling(res, n_draws=100)
    assert not check.scaling_supported, check.report()
    assert check.c1_interval[0] < 0.05  # 1/nu runs to zero: no divergent length
    assert check.delta_elpd < 2 * check.delta_se
    assert "NO finite-size scaling" in check.report()
