"""Bayesian finite-size scaling: recovery with coverage on synthetic data, and the
scaling check on data that do not depend on L."""

from pathlib import Path

import numpy as np

import bayesfit  # noqa: F401
from bayesfit.criticality import (
    FSSModel,
    SamplerOptions,
    ScalingCheck,
    check_scaling,
    fit_fss,
    fit_fss_joint,
    fss_table,
    synthetic_fss,
)
from tests.criticality.shipped import assert_same_posterior, shipped_check

DATA = Path(__file__).resolve().parents[2] / "data" / "criticality"
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


def test_markov_chain_negative_control_is_reported_as_no_scaling():
    """The temperature-scaled Markov chain (shipped sweep, data/criticality/make_sweeps.py)
    has no transition: the check must say so instead of returning a confident T_c."""
    t = np.genfromtxt(DATA / "markov_sweep.csv", delimiter=",", names=True, skip_header=1)
    table = fss_table(t["size"], t["temperature"], t["chi"], t["dchi"])
    res = fit_fss(table, FSSModel(), SamplerOptions(num_warmup=300, num_samples=300,
                                                    num_chains=1, n_starts=256, n_adam=100))
    check = check_scaling(res, n_draws=100)
    assert not check.scaling_supported, check.report()
    assert check.c1_interval[0] < 0.05  # 1/nu runs to zero: no divergent length
    assert check.delta_elpd < 2 * check.delta_se  # collapse predicts no better
    lo, hi = check.tc_interval
    assert hi - lo > 0.5 * check.tc_prior_width  # T_c not located
    assert "NO finite-size scaling" in check.report()
    # notebook 08 shows this fit and check from shipped files (08-critical-temperature_fits.py)
    assert_same_posterior(res, "markov")
    c = shipped_check()
    old = ScalingCheck(c["elpd_scaling"], c["elpd_no_scaling"], c["delta_elpd"], c["delta_se"],
                       (c["c1_lo"], c["c1_hi"]), (c["tc_lo"], c["tc_hi"]), c["tc_prior_width"],
                       c["pareto_k"])
    assert old.scaling_supported == check.scaling_supported
    assert old.tc_prior_width == check.tc_prior_width
