"""Every method against the exact posterior of a conjugate linear-Gaussian problem."""

import numpy as np
import pytest

import bayesfit as bf


def _check(result, exact, z=4.5):
    a, b = result.draws("a"), result.draws("b")
    summ = result.summary()
    for name, draws, m, var in (("a", a, exact.mean[0], exact.cov[0, 0]),
                                ("b", b, exact.mean[1], exact.cov[1, 1])):
        ess = float(summ.loc[name, "ess_bulk"])
        mcse = np.sqrt(var / ess)
        assert abs(draws.mean() - m) < z * mcse, (name, draws.mean(), m, mcse)
        # sd: relative MC error of a variance estimate ~ sqrt(2/ess)
        assert abs(draws.std() / np.sqrt(var) - 1) < z * np.sqrt(0.5 / ess) + 0.01


def test_map_and_laplace_are_exact(conjugate):
    r = bf.fit(conjugate.problem(), bf.MAP(), draws=20000, seed=1, progress=False)
    m = r.tree["map"]
    assert float(m["a"]) == pytest.approx(conjugate.mean[0], abs=1e-6)
    assert float(m["b"]) == pytest.approx(conjugate.mean[1], abs=1e-6)
    np.testing.assert_allclose(m["z_cov"].values, conjugate.cov, rtol=1e-6, atol=1e-10)
    _check(r, conjugate)


def test_nuts_matches_exact_posterior(conjugate):
    r = bf.fit(conjugate.problem(), "nuts", chains=2, draws=1000, warmup=500, seed=2,
               progress=False)
    _check(r, conjugate)
    assert float(r.summary().loc["a", "r_hat"]) < 1.02
    assert int(r.tree["sample_stats"]["diverging"].sum()) == 0


def test_nuts_dense_mass_matches_exact_posterior(conjugate):
    r = bf.fit(conjugate.problem(), bf.NUTS(dense_mass=True), chains=2, draws=800,
               warmup=400, seed=5, progress=False)
    _check(r, conjugate)


def test_emcee_matches_exact_posterior_and_reports_autocorrelation(conjugate):
    r = bf.fit(conjugate.problem(), "emcee", chains=3, draws=1000, warmup=300, seed=3,
               progress=False)
    _check(r, conjugate)
    g = r.tree["emcee"]
    assert g["autocorr_time"].shape == (3, 2)          # per ensemble and parameter
    assert np.all(g["autocorr_time"].values > 1)
    assert np.all((g["acceptance_fraction"] > 0.2) & (g["acceptance_fraction"] < 0.9))
    # R-hat is computed across ensembles (3 chains), not across walkers
    assert r.posterior.sizes["chain"] == 3


def test_same_seed_same_result(conjugate):
    p = conjugate.problem()
    r1 = bf.fit(p, "nuts", chains=1, draws=50, warmup=50, seed=7, progress=False)
    r2 = bf.fit(p, "nuts", chains=1, draws=50, warmup=50, seed=7, progress=False)
    np.testing.assert_array_equal(r1.draws("a"), r2.draws("a"))
