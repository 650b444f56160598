"""``bayesfit.compare`` and ``bayesfit compare``: Bayes factors against the analytic
evidences of two nested conjugate models, PSIS-LOO beside them."""

from __future__ import annotations

import jax.numpy as jnp
import numpy as np
import numpyro.distributions as dist
import pytest
import xarray as xr
from scipy.stats import multivariate_normal

import bayesfit
from bayesfit.cli.main import main


def _ab(prm, X):
    return X[:, 0] * prm["a"] + X[:, 1] * prm["b"]


@pytest.fixture(scope="module")
def reduced(linear_gaussian, tmp_path_factory):
    """The same data without the third regressor: a worse model, also conjugate."""
    lg = linear_gaussian
    ds = bayesfit.Dataset(lg.x, lg.y, sigma=lg.sigma, model=_ab, name="data")
    problem = bayesfit.Problem({k: dist.Normal(0.0, 10.0) for k in "ab"}, ds)
    res = bayesfit.fit(problem, bayesfit.REMC(reference="prior", replicas=16), chains=4, draws=2000, warmup=500, seed=1,
                       progress=False, log_likelihood=True)
    path = tmp_path_factory.mktemp("cmp") / "reduced.nc"
    res.save(path)
    x2 = lg.x[:, :2]
    cov = lg.sigma**2 * np.eye(len(lg.y)) + 100.0 * x2 @ x2.T
    exact = float(multivariate_normal(np.zeros(len(lg.y)), cov).logpdf(lg.y))
    return path, exact


def test_compare_ranks_by_evidence_and_loo(linear_fit, linear_gaussian, reduced):
    path, exact_reduced = reduced
    table = bayesfit.compare([linear_fit.path, path])
    assert list(table.index) == ["linear", "reduced"]
    full, red = table.loc["linear"], table.loc["reduced"]
    exact_bf = exact_reduced - linear_gaussian.log_evidence()
    assert full["log_bf"] == 0 and full["rank_evidence"] == 1
    assert red["log_bf"] == pytest.approx(exact_bf, abs=max(3 * red["log_bf_err"], 0.1))
    assert red["log_bf_err"] > 0
    assert full["rank_loo"] == 1 and red["elpd_diff"] < 0 and red["elpd_diff_se"] > 0
    assert np.isfinite(table["elpd_loo"]).all() and (table["pareto_k_max"] < 0.7).all()
    # in-memory results and names
    t2 = bayesfit.compare({"A": linear_fit.result, "B": bayesfit.load(path)})
    assert t2.loc["A", "log_evidence"] == pytest.approx(full["log_evidence"])


def test_compare_cli(linear_fit, reduced, tmp_path, capsys):
    out = tmp_path / "table.csv"
    rc = main(["compare", str(linear_fit.path), str(reduced[0]), "--csv", str(out),
               "--sort", "loo"])
    assert rc == 0
    text = capsys.readouterr().out
    assert "log_evidence" in text and "elpd_loo" in text and "reduced" in text
    assert out.read_text().startswith("model,")
    assert main(["compare", str(tmp_path / "missing.nc")]) == 2
    assert "no such result file" in capsys.readouterr().err


def test_compare_without_evidence_or_log_likelihood(linear_fit):
    tree = linear_fit.result.tree
    bare = bayesfit.Result(xr.DataTree.from_dict(
        {k: tree[k].to_dataset() for k in tree.children
         if k not in ("evidence", "log_likelihood")}))
    table = bayesfit.compare([bare])
    assert np.isnan(table["log_evidence"].iloc[0]) and np.isnan(table["elpd_loo"].iloc[0])
    with pytest.raises(bayesfit.BayesfitError, match="Results or paths"):
        bayesfit.compare([jnp.zeros(2)])
