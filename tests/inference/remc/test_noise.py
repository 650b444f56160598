"""Noise levels by minimising the Bayesian free energy, against the conjugate model where
``F(sigma) = -log N(y; 0, sigma^2 I + s0^2 X X^T)`` is known exactly."""

from __future__ import annotations

import logging

import jax
import jax.numpy as jnp
import matplotlib.pyplot as plt
import numpy as np
import numpyro.distributions as dist
import pytest
from scipy.optimize import minimize, minimize_scalar
from scipy.stats import multivariate_normal

import bayesfit

from .helpers import make_linear_gaussian


def test_single_dataset_free_energy_curve_and_sigma_hat(noise_fit, noise_data):
    lg, res = noise_data, noise_fit
    noise = res.group("noise")
    assert noise.datasets == ("data",)
    s_hat = float(noise.sigma_hat[0])
    assert abs(s_hat / lg.sigma - 1) < 0.10  # the generating sigma, within 10 %
    exact_min = minimize_scalar(lambda s: -lg.log_evidence(s), bounds=(0.1, 1.0),
                                method="bounded").x
    assert abs(s_hat / exact_min - 1) < 0.02  # the minimum of the exact F
    assert float(noise.sigma_hat_err[0]) < 0.02 * s_hat
    sig, F, err = noise.curve("data")
    assert sig[np.argmin(F)] == pytest.approx(s_hat, rel=0.03)
    for s in (0.8 * s_hat, s_hat, 1.3 * s_hat, 2.5 * s_hat):
        i = int(np.argmin(np.abs(sig - s)))
        exact = -lg.log_evidence(sig[i])
        assert abs(F[i] - exact) < 3 * err[i] + 0.05, (sig[i], F[i], exact)
    # the result is the posterior at sigma_hat, of the problem with sigma fixed there
    assert res.problem.fixed["sigma_data"] == pytest.approx(s_hat)
    assert "sigma_data" not in res.parameter_names
    mean, cov = lg.posterior(s_hat)
    draws = np.stack([res.draws(k) for k in "abc"], axis=1)
    assert np.all(np.abs(draws.mean(0) - mean) < 5 * np.sqrt(np.diag(cov) / 1000))
    # its evidence is -F(sigma_hat)
    assert abs(res.log_evidence - lg.log_evidence(s_hat)) < 3 * res.log_evidence_err + 0.02


def test_plot_free_energy_marks_sigma_hat(noise_fit):
    """The free-energy figure (here, where the shared free-energy fit is made)."""
    fig = bayesfit.plot_free_energy(noise_fit)
    ax = fig.axes[0]
    s_hat = float(noise_fit.noise_table().loc["data", "sigma_hat"])
    xs = [line.get_xdata() for line in ax.get_lines()]
    assert any(np.allclose(x, s_hat) for x in xs)  # the vertical line / the marker
    assert ax.get_xscale() == "log" and ax.get_title() == "data"
    plt.close(fig)


def _lin3(prm, X):
    return X @ jnp.stack([prm["a"], prm["b"], prm["c"]])


def _three_datasets():
    """Two estimated noise levels and a known one on a linear model with a Normal prior:
    the problem and the exact ``F(s_lo, s_hi)`` (nats)."""
    rng = np.random.default_rng(7)
    theta = np.array([0.5, -1.0, 2.0])
    sig = {"lo": 0.2, "hi": 1.0, "ref": 0.5}
    xs = {k: rng.normal(size=(60, 3)) for k in sig}
    ys = {k: xs[k] @ theta + s * rng.normal(size=60) for k, s in sig.items()}
    datasets = [bayesfit.Dataset(xs[k], ys[k], model=_lin3, name=k,
                                 sigma=sig[k] if k == "ref" else None) for k in sig]
    problem = bayesfit.Problem({k: dist.Normal(0, 10.0) for k in "abc"}, datasets)
    X = np.concatenate([xs[k] for k in sig])
    Y = np.concatenate([ys[k] for k in sig])

    def exact_F(s_lo, s_hi):
        d = np.concatenate([np.full(60, s_lo**2), np.full(60, s_hi**2), np.full(60, 0.25)])
        return -multivariate_normal(np.zeros(180), np.diag(d) + 100.0 * X @ X.T).logpdf(Y)

    opt = minimize(lambda p: exact_F(*np.exp(p)), np.log([0.3, 0.8]), method="Nelder-Mead",
                   options={"xatol": 1e-6, "fatol": 1e-8})
    return problem, exact_F, np.exp(opt.x)


def _exact_grad_log_sigma(exact_F, s, h=1e-4):
    """``dF / d log sigma`` of both levels at ``s`` by central differences (nats)."""
    out = []
    for i in range(2):
        up, dn = np.array(s, float), np.array(s, float)
        up[i] *= np.exp(h)
        dn[i] *= np.exp(-h)
        out.append((exact_F(*up) - exact_F(*dn)) / (2 * h))
    return np.array(out)


def test_several_datasets_coordinate_wise(caplog):
    problem, exact_F, s_exact = _three_datasets()
    with caplog.at_level(logging.WARNING), jax.log_compiles():
        res = bayesfit.fit(problem, bayesfit.REMC(noise="free_energy"), chains=4, draws=1500,
                           warmup=500, seed=0, progress=False, predictive=False)
    # ray + two coordinate ladders + the final run: one compiled chunk for all stages (and
    # one for the pilot that chose the replicas, whose rungs differ)
    compiled = [r for r in caplog.messages if r.startswith("Finished XLA compilation of")]
    assert sum("chunk_fn" in m for m in compiled) == 2
    noise = res.group("noise")
    assert noise.datasets == ("lo", "hi")
    s_hat = np.asarray(noise.sigma_hat)
    np.testing.assert_allclose(s_hat, s_exact, rtol=0.04)
    np.testing.assert_allclose(s_hat, [0.2, 1.0], rtol=0.2)
    assert res.tree["noise"].attrs["scheme"] == "coordinate-wise"
    assert res.problem.fixed["sigma_lo"] == pytest.approx(s_hat[0])
    # Fisher's identity: the recorded dF/dlog sigma at s_hat (posterior mean of the
    # residuals) is the exact gradient of F there, which the ladders' few-% error makes
    # nonzero
    exact_grad = _exact_grad_log_sigma(exact_F, s_hat)
    err = np.asarray(noise.grad_log_sigma_err)
    assert np.all(np.abs(noise.grad_log_sigma - exact_grad) < 4 * err + 0.3), \
        (noise.grad_log_sigma, err, exact_grad)
    # calibrated slices through sigma_hat agree with the exact joint free energy
    sig_lo, F, _ = noise.curve("lo")
    for s in (0.8 * s_hat[0], s_hat[0], 1.5 * s_hat[0]):
        i = int(np.argmin(np.abs(sig_lo - s)))
        exact = exact_F(sig_lo[i], s_hat[1])
        assert abs(F[i] - exact) < 0.3, (s, F[i], exact)


def test_several_datasets_stationary_point():
    """``noise_update="stationary"``: the ray, then posterior runs with the update
    ``sigma_d**2 = E[SSR_d] / n_d``, lands on the exact joint minimum of F, more precisely
    than the coordinate ladders (whose minima carry the curves' Monte Carlo error)."""
    problem, exact_F, s_exact = _three_datasets()
    method = bayesfit.REMC(noise="free_energy", noise_update="stationary",
                           reference="gaussian")
    res = bayesfit.fit(problem, method, chains=4, draws=400, warmup=300, seed=1,
                       progress=False, predictive=False)
    noise = res.group("noise")
    s_hat = np.asarray(noise.sigma_hat)
    np.testing.assert_allclose(s_hat, s_exact, rtol=0.005)
    assert "stationarity" in res.tree["noise"].attrs["scheme"]
    assert np.all(np.asarray(noise.sigma_hat_err) < 0.005 * s_hat)
    # at the returned levels the gradient of F vanishes within its errors (exactly and as
    # recorded)
    assert np.all(np.abs(_exact_grad_log_sigma(exact_F, s_hat)) < 1.0)
    assert np.all(np.abs(noise.grad_log_sigma) <= 4 * noise.grad_log_sigma_err + 0.1)
    # the evidence at s_hat is the exact one (the posterior ran on the reference leg only)
    assert res.log_evidence == pytest.approx(-exact_F(*s_hat), abs=0.3)
    assert res.tree.attrs["round_trips_min"] >= 10


def test_free_and_free_energy_differ_with_few_points():
    """With n points and p = 3 nearly flat-prior coefficients, marginalising sigma (Jeffreys
    prior, noise='free') widens the coefficients by sqrt((n-p)/(n-p-2)) over the plug-in
    sigma_hat (noise='free_energy', sigma_hat^2 = RSS/(n-p)): 1.29 at n = 8, 1.01 at 100."""
    lg = make_linear_gaussian(n=8, sigma=0.3, seed=1, known=False)
    kw = dict(chains=4, draws=3000, warmup=500, seed=0, progress=False, predictive=False)
    # the claim is about the two noise treatments, not the ladder: power posteriors from
    # the prior with a fixed ladder (no pilot stage; the prior is only 10 / 0.15 ~ 70
    # posterior widths wide here, a barrier of about 3)
    method = dict(reference="prior", replicas=8)
    free = bayesfit.fit(lg.problem, bayesfit.REMC(noise="free", **method), **kw)
    fe = bayesfit.fit(lg.problem, bayesfit.REMC(noise="free_energy", **method), **kw)
    ratio = np.mean([free.draws(k).std() / fe.draws(k).std() for k in "abc"])
    assert ratio == pytest.approx(np.sqrt(5 / 3), rel=0.1)
    assert "sigma_data" in free.parameter_names and "sigma_data" not in fe.parameter_names
    # the evidence with sigma marginalised is lower than at the free-energy minimum
    assert free.log_evidence < fe.log_evidence


def test_free_energy_refuses_a_stochastic_model_error():
    """F(sigma) rests on log L_sigma = b log L_sigma0 + const, which a model error added in
    quadrature (FTLM's model_sd) breaks: refused before any sampling, naming the dataset."""
    x = np.linspace(0.0, 1.0, 20)
    ds = bayesfit.Dataset(x, 2.0 * x, model=lambda p, x: p["a"] * x, name="curve",
                          model_sd=lambda p, x: 0.01 * jnp.ones_like(x))
    problem = bayesfit.Problem({"a": dist.Normal(0.0, 10.0)}, [ds])
    with pytest.raises(bayesfit.errors.BayesfitError, match=r"'curve'.*model_sd"):
        bayesfit.fit(problem, bayesfit.REMC(noise="free_energy"), chains=2, draws=10,
                     warmup=10, progress=False)
