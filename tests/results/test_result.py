"""Result trees: ArviZ groups, units, netCDF round trip, atomic writes."""

import numpy as np
import pytest

import bayesfit as bf
from bayesfit._atomic import write_atomic


@pytest.fixture(scope="module")
def result(conjugate):
    return bf.fit(conjugate.problem(), "nuts", chains=2, draws=100, warmup=100, seed=0,
                  progress=False, log_likelihood=True)


def test_groups_units_and_config(result):
    t = result.tree
    assert {"posterior", "sample_stats", "observed_data", "constant_data",
            "posterior_predictive", "log_likelihood"} <= set(t.children)
    assert t["posterior"]["a"].attrs["units"] == "m/s"
    assert t["observed_data"]["line"].attrs["units"] == "m"
    assert t["constant_data"]["line_x"].attrs["units"] == "s"
    assert result.config["method"] == "nuts" and result.config["draws"] == 100
    assert t["log_likelihood"]["line"].shape == (2, 100, 25)


def test_arviz_functions_accept_the_tree(result):
    import arviz as az

    loo = az.loo(result.tree)
    assert np.isfinite(loo.elpd)
    assert "a" in az.summary(result.tree).index


def test_correlations_against_the_exact_posterior(conjugate):
    """Laplace draws of the conjugate model are exact Gaussian posterior draws; their
    correlation matrix is compared with the textbook covariance (Bishop eq. 3.54)."""
    r = bf.fit(conjugate.problem(), "map", draws=4000, seed=2, progress=False,
               predictive=False)
    corr = r.correlations()
    sd = np.sqrt(np.diag(conjugate.cov))
    exact = conjugate.cov / np.outer(sd, sd)
    assert list(corr.index) == ["a", "b"]
    np.testing.assert_allclose(corr.to_numpy(), exact, atol=0.04)
    assert abs(exact[0, 1]) > 0.3  # a correlation worth checking


def test_tables_absent_without_their_groups(result):
    assert result.noise_table() is None and result.predictions_table() is None
    assert result.group("noise") is None and result.log_evidence is None


def test_save_load_round_trip(result, tmp_path):
    path = result.save(tmp_path / "r.nc")
    back = bf.load(path)
    np.testing.assert_array_equal(back.draws("a"), result.draws("a"))
    assert back.tree.attrs["method"] == "nuts"
    assert list(tmp_path.iterdir()) == [path]  # no temporary files left behind


def test_interrupted_write_keeps_previous_file(tmp_path):
    target = tmp_path / "r.nc"
    target.write_text("old")

    def failing(p):
        p.write_text("half")
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        write_atomic(target, failing)
    assert target.read_text() == "old"
    assert list(tmp_path.iterdir()) == [target]


def test_load_reports_missing_and_corrupt_files(tmp_path):
    with pytest.raises(bf.BayesfitError, match="no such result file"):
        bf.load(tmp_path / "nope.nc")
    (tmp_path / "bad.nc").write_text("garbage")
    with pytest.raises(bf.BayesfitError, match="not a readable bayesfit result"):
        bf.load(tmp_path / "bad.nc")
