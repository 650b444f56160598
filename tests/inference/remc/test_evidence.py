"""Log evidence: the conjugate linear-Gaussian model (analytic) and a small nonlinear
model checked against nested sampling (dynesty, used only here)."""

from __future__ import annotations

import dynesty
import jax.numpy as jnp
import numpy as np
import numpyro.distributions as dist

import bayesfit


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
