"""Diagnostics of a finished fit (bayesfit/results/_checks.py) on hand-made trees, and
PSIS-LOO on what ``bf.fit`` stores (the README's Python example and a two-dataset fit)."""

from __future__ import annotations

import json

import arviz as az
import jax.numpy as jnp
import numpy as np
import numpyro.distributions as dist
import pytest
import xarray as xr

import bayesfit as bf
from bayesfit.results._checks import add_failure, check_diagnostics, format_block, record


def _tree(posterior: dict, **groups) -> xr.DataTree:
    chains, draws = next(iter(posterior.values())).shape[:2]
    post = xr.Dataset({k: (["chain", "draw"], v) for k, v in posterior.items()},
                      coords={"chain": np.arange(chains), "draw": np.arange(draws)})
    tree = xr.DataTree.from_dict({"posterior": post, **groups})
    tree.attrs["method"] = "nuts"
    return tree


def _iid(rng, chains=4, draws=500):
    return rng.standard_normal((chains, draws))


def test_good_chains_pass():
    rng = np.random.default_rng(0)
    assert check_diagnostics(_tree({"a": _iid(rng), "b": _iid(rng)})) == []


def test_chains_that_disagree_fail_rhat():
    rng = np.random.default_rng(1)
    a = _iid(rng)
    a[0] += 3.0  # one chain elsewhere: R-hat far above 1.01
    checks = {f.check: f.message for f in check_diagnostics(_tree({"a": a}))}
    assert "rhat" in checks and "a " in checks["rhat"]


def test_sticky_chains_fail_bulk_ess():
    rng = np.random.default_rng(2)
    x = np.zeros((4, 500))  # AR(1) with phi = 0.98: ESS ~ 4 * 500 * 0.01 = 20 << 400
    for t in range(1, 500):
        x[:, t] = 0.98 * x[:, t - 1] + 0.2 * rng.standard_normal(4)
    checks = [f.check for f in check_diagnostics(_tree({"a": x}))]
    assert "ess_bulk" in checks


def test_divergences_round_trips_and_evidence():
    rng = np.random.default_rng(3)
    div = np.zeros((4, 500), dtype=bool)
    div[2, 17] = True
    stats = xr.Dataset({"diverging": (["chain", "draw"], div)})
    ladder = xr.Dataset({"round_trips": (["chain"], np.array([3, 0, 5, 2]))})
    ev = xr.Dataset({"log_evidence_ti": 10.0, "log_evidence_ti_err": 0.1,
                     "log_evidence_ss": 11.0, "log_evidence_ss_err": 0.1})
    tree = _tree({"a": _iid(rng)}, sample_stats=stats, ladder=ladder, evidence=ev)
    checks = {f.check: f.message for f in check_diagnostics(tree)}
    assert set(checks) == {"divergences", "round_trips", "evidence"}
    assert checks["divergences"].startswith("1 of 2000 transitions diverged")
    assert "[1]" in checks["round_trips"]
    ev_ok = ev.assign(log_evidence_ss=10.2)  # 0.2 apart, 3 combined sd = 0.42: agree
    assert check_diagnostics(_tree({"a": _iid(rng)}, evidence=ev_ok)) == []


def test_map_draws_are_not_mcmc_diagnosed():
    rng = np.random.default_rng(4)
    a = _iid(rng, chains=1, draws=50)  # ESS < 100 but iid Laplace draws of method map
    tree = _tree({"a": a})
    tree.attrs["method"] = "map"
    assert check_diagnostics(tree) == []


def test_record_keeps_what_a_method_recorded_and_survives_netcdf(tmp_path):
    rng = np.random.default_rng(5)
    tree = _tree({"a": _iid(rng)})
    add_failure(tree.attrs, "remc", "no swaps accepted between replicas 3 and 4")
    a = _iid(rng)
    a[1] += 5.0
    tree["posterior"] = xr.Dataset({"a": (["chain", "draw"], a)})
    items = record(tree)
    assert items[0] == "remc: no swaps accepted between replicas 3 and 4"
    assert any(i.startswith("rhat:") for i in items) and tree.attrs["diagnostics_ok"] == 0
    tree.to_netcdf(tmp_path / "t.nc", engine="h5netcdf")
    back = xr.open_datatree(tmp_path / "t.nc", engine="h5netcdf")
    assert json.loads(back.attrs["diagnostics_failed"]) == items
    assert f"Diagnostics FAILED ({len(items)})" in format_block(items)


def _decay(p, t):
    return p["A"] * jnp.exp(-t / p["tau"])


def test_readme_example_then_arviz_loo():
    """The README's Python example, verbatim apart from sizes, then arviz.loo."""
    rng = np.random.default_rng(0)
    t = np.linspace(0.0, 10.0, 30)
    y = 2.0 * np.exp(-t / 3.0) + 0.05 * rng.standard_normal(t.size)
    data = bf.Dataset(t, y, model=lambda p, t: p["A"] * jnp.exp(-t / p["tau"]),
                      name="relax", units={"x": "s", "y": "arb"})
    problem = bf.Problem({"A": dist.Uniform(0, 10), "tau": dist.LogUniform(0.1, 100)}, [data])
    with pytest.warns(RuntimeWarning, match="Diagnostics FAILED"):  # 2 x 60 draws: ESS low
        result = bf.fit(problem, bf.NUTS(dense_mass=True), chains=2, draws=60, warmup=60,
                        seed=0, progress=False)
    loo = az.loo(result.tree)
    assert np.isfinite(loo.elpd) and loo.elpd_i.shape == (30,)
    assert "ess_bulk: bulk ESS below 200" in result.tree.attrs["diagnostics_failed"]


def test_two_datasets_loo_with_all_data_matches_the_sum():
    rng = np.random.default_rng(1)
    sets = []
    for i, n in enumerate((12, 20)):
        t = np.linspace(0.0, 8.0, n)
        y = 2.0 * np.exp(-t / 3.0) + 0.05 * rng.standard_normal(n)
        sets.append(bf.Dataset(t, y, sigma=0.05, model=_decay, name=f"run{i}"))
    problem = bf.Problem({"A": dist.Uniform(0, 10), "tau": dist.LogUniform(0.1, 100)}, sets)
    result = bf.fit(problem, "map", draws=400, seed=0, progress=False)
    ll = result.tree["log_likelihood"]
    assert set(ll.data_vars) == {"run0", "run1", "all_data"}
    np.testing.assert_array_equal(
        ll["all_data"].values, np.concatenate([ll["run0"].values, ll["run1"].values], axis=2))
    loo = az.loo(result.tree, var_name="all_data")
    assert loo.elpd_i.shape == (32,)
    parts = [az.loo(result.tree, var_name=f"run{i}").elpd for i in range(2)]
    assert loo.elpd == pytest.approx(sum(parts), rel=1e-9)  # PSIS-LOO is pointwise
    table = az.compare({"m1": result.tree, "m2": result.tree}, var_name="all_data",
                       round_to="none")
    assert list(table["elpd"]) == pytest.approx([loo.elpd] * 2)
