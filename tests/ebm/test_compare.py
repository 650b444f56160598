"""The hierarchical comparison recovers known gaps; trees are saved atomically."""

import os

import numpy as np
import pandas as pd
import pytest

from bayesfit.ebm import OptionError
from bayesfit.ebm.compare import compare_methods, gap_summary, plot_comparison, save_tree


@pytest.fixture(scope="module")
def synthetic():
    rng = np.random.default_rng(0)
    truth = {"ref": (0.0, 0.0), "worse": (2.0, 1.5), "flat": (1.0, 0.0)}
    n_ref = np.exp(np.mean(np.log([8, 12, 16, 20])))  # where compare_methods puts the gap
    rows = []
    for target in ("A", "B"):
        for n in (8, 12, 16, 20):
            for m, (gap, growth) in truth.items():
                for seed in range(3):
                    level = -3 + 0.1 * n + gap + growth * np.log(n / n_ref)
                    rows.append(dict(target=target, n=n, method=m, seed=seed,
                                     kl_pq=np.exp(level + 0.2 * rng.normal())))
    runs = pd.DataFrame(rows)
    return compare_methods(runs, reference="ref", warmup=200, samples=200, chains=1)


def test_posterior_recovers_gaps_and_growth(synthetic):
    s = gap_summary(synthetic).set_index(["target", "method"])
    for target in ("A", "B"):
        worse, flat = s.loc[(target, "worse")], s.loc[(target, "flat")]
        assert worse["gap_lo"] < np.exp(2.0) < worse["gap_hi"]
        assert worse["P(growth>0)"] > 0.95
        assert flat["growth_lo"] < 0.0 < flat["growth_hi"]
    post = synthetic["posterior"]
    assert set(post["gap"].dims) == {"chain", "draw", "target", "method"}
    np.testing.assert_array_equal(post["gap"].sel({"method": "ref"}).values, 0.0)


def test_save_is_atomic_and_readable(synthetic, tmp_path):
    import arviz as az

    path = save_tree(synthetic, tmp_path / "sub" / "cmp.nc")
    assert os.listdir(tmp_path / "sub") == ["cmp.nc"]  # no temp file left behind
    back = az.from_netcdf(path)
    np.testing.assert_allclose(back["posterior"]["gap"].values,
                               synthetic["posterior"]["gap"].values)
    files = plot_comparison(synthetic, tmp_path / "plots")
    assert all(os.path.getsize(f) > 0 for f in files)


def test_bad_reference():
    runs = pd.DataFrame(dict(target=["A"], n=[8], method=["x"], seed=[0], kl_pq=[1.0]))
    with pytest.raises(OptionError, match="reference"):
        compare_methods(runs, reference="y")
