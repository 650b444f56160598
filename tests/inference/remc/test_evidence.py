"""Log evidence: the conjugate linear-Gaussian model (analytic) and a small nonlinear
model checked against nested sampling (dynesty, used only here); ``bayesfit.compare`` and
``bayesfit compare`` (Bayes factors against the analytic evidences of two nested conjugate
models, PSIS-LOO beside them); the ladder figure built from saved groups. One module, so that
the shared conjugate fit (``linear_fit``) is made once (the suite runs ``--dist loadfile``)."""

from __future__ import annotations

import dynesty
import jax.numpy as jnp
import matplotlib.pyplot as plt
import numpy as np
import numpyro.distributions as dist
import pytest
import xarray as xr
from scipy.stats import multivariate_normal

import bayesfit
from bayesfit.cli.main import main


def test_conjugate_evidence_both_estimators(linear_fit, linear_gaussian):
    exact = linear_gaussian.log_evidence()
    ev = linear_fit.result.tree["evidence"].to_dataset()
    for name in ("ss", "ti"):
        value = float(ev[f"log_evidence_{name}"])
        err = float(ev[f"log_evidence_{name}_err"])
        assert abs(value - exact) < 0.1, (name, value, exact)
        assert abs(value - exact) < 3 * err, (name, value - exact, err)  # honest error bar
        assert err < (0.1 if name == "ss" else 0.2)  # TI adds a conservative discretisation
    assert linear_fit.result.log_evidence == float(ev["log_evidence_ss"])
    assert linear_fit.result.log_evidence_err == float(ev["log_evidence_ss_err"])


def test_conjugate_posterior_and_diagnostics(linear_fit, linear_gaussian):
    res = linear_fit.result
    mean, cov = linear_gaussian.posterior()
    draws = np.stack([res.draws(k) for k in "abc"], axis=1)
    assert np.all(np.abs(draws.mean(0) - mean) < 4 * np.sqrt(np.diag(cov) / 2000))
    np.testing.assert_allclose(np.cov(draws.T), cov, rtol=0.1, atol=0.05 * cov.max())
    lad = res.tree["ladder"].to_dataset()
    beta = lad["beta"].values
    assert np.all(beta[:, 0] == 0) and np.all(beta[:, -1] == 1)
    assert np.all(np.diff(beta, axis=1) > 0)
    swap = lad["swap_acceptance"].values
    assert swap.shape == (8, 15) and swap.min() > 0.3  # adapted towards equal acceptance
    assert np.ptp(swap.mean(0)) < 0.25
    assert np.all(lad["round_trips"].values > 0)
    assert res.summary()["r_hat"].max() < 1.02
    assert res.tree["ladder"].attrs["rhat_max"] < 1.02


def _decay(prm, x):
    return prm["A"] * jnp.exp(-x / prm["tau"])


def test_evidence_agrees_with_nested_sampling():
    rng = np.random.default_rng(5)
    x = np.linspace(0.0, 4.0, 30)
    sigma = 0.1
    y = 1.7 * np.exp(-x / 0.9) + sigma * rng.normal(size=x.size)
    lo, hi = np.array([0.5, 0.2]), np.array([3.0, 2.0])
    problem = bayesfit.Problem(
        {"A": dist.Uniform(lo[0], hi[0]), "tau": dist.Uniform(lo[1], hi[1])},
        bayesfit.Dataset(x, y, sigma=sigma, model=_decay))
    res = bayesfit.fit(problem, bayesfit.REMC(reference="prior", replicas=16), chains=4, draws=2000, warmup=500, seed=3,
                       progress=False, predictive=False)

    def loglike(t):
        r = (y - t[0] * np.exp(-x / t[1])) / sigma
        return -0.5 * r @ r - x.size * np.log(sigma * np.sqrt(2 * np.pi))

    sampler = dynesty.NestedSampler(loglike, lambda u: lo + (hi - lo) * u, 2, nlive=500,
                                    rstate=np.random.default_rng(0))
    sampler.run_nested(dlogz=0.01, print_progress=False)
    ns = sampler.results
    z_ns, err_ns = float(ns.logz[-1]), float(ns.logzerr[-1])
    err = float(np.hypot(res.log_evidence_err, err_ns))
    assert abs(res.log_evidence - z_ns) < max(3 * err, 0.1), (res.log_evidence, z_ns, err)
    ti = float(res.tree["evidence"]["log_evidence_ti"])
    assert abs(ti - z_ns) < max(3 * err, 0.15)


# -- model comparison ------------------------------------------------------------------

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


# -- figures -----------------------------------------------------------------------------

def test_plot_ladder_and_missing_groups(linear_fit):
    fig = bayesfit.plot_ladder(linear_fit.result)
    assert len(fig.axes) == 2
    swap = linear_fit.result.tree["ladder"]["swap_acceptance"].values
    mean_line = [ln for ln in fig.axes[0].get_lines() if ln.get_label() == "mean over runs"][0]
    np.testing.assert_allclose(mean_line.get_ydata(), swap.mean(0))
    plt.close(fig)
    with pytest.raises(bayesfit.BayesfitError, match="noise='free_energy'"):
        bayesfit.plot_free_energy(linear_fit.result)


def test_loaded_result_keeps_the_remc_groups(linear_fit):
    res = bayesfit.load(linear_fit.path)
    assert {"ladder", "evidence"} <= set(res.tree.children)
    assert res.log_evidence == pytest.approx(linear_fit.result.log_evidence)
    fig = bayesfit.plot_ladder(res)
    plt.close(fig)
