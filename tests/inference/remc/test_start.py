"""Where the replicas start (multi-start MAP + Laplace), checked against the conjugate
model's exact posterior."""

from __future__ import annotations

import jax
import numpy as np
import pytest

from bayesfit.inference import laplace_covariance
from bayesfit.inference.remc._driver import Runner, Start
from bayesfit.inference.remc._start import laplace_start

from .helpers import make_linear_gaussian

OPTS = dict(replicas=8, chains=3, draws=4, warmup=4, move="hmc", leapfrog_steps=2,
            moves_per_step=1, target_accept=0.75, adapt_ladder=True, chunk=4)


def test_laplace_start_is_the_exact_posterior_of_the_conjugate_model():
    m = make_linear_gaussian(n=50, sigma=0.05)
    mean, cov = m.posterior()
    start = laplace_start(m.problem, dict(zip("abc", mean, strict=True)))
    np.testing.assert_allclose(np.asarray(start.z), mean, rtol=1e-10)
    np.testing.assert_allclose(np.asarray(start.chol @ start.chol.T), cov, rtol=1e-6)


def test_sharp_replicas_start_near_the_mode_and_broad_ones_from_the_prior():
    m = make_linear_gaussian(n=50, sigma=0.05)
    mean, cov = m.posterior()
    start = laplace_start(m.problem, dict(zip("abc", mean, strict=True)))
    runner = Runner(m.problem, dense=True, **OPTS)
    state = runner.initial_state(jax.random.PRNGKey(0), start)
    z, betas = np.asarray(state.replicas.z), np.asarray(state.betas)
    sd, prior_sd = np.sqrt(np.diag(cov)), 10.0
    for r in range(3):
        for k in range(8):
            width = sd / np.sqrt(max(betas[r, k], 1e-300))
            if betas[r, k] > 0 and np.all(width < prior_sd):
                # within the clipped (+-2) Laplace draw, first mass matrix = covariance / b
                assert np.all(np.abs(z[r, k] - mean) <= 2 * np.sqrt(3) * width + 1e-12)
                chol = np.asarray(state.chol[r, k])
                np.testing.assert_allclose(chol @ chol.T, cov / betas[r, k], rtol=1e-6)
            else:
                assert np.any(np.abs(z[r, k] - mean) > 3 * sd)  # a prior draw
    assert not np.allclose(z[0, -1], z[1, -1])  # runs start apart (R-hat stays honest)
    # without a start every replica is a prior draw
    prior = runner.initial_state(jax.random.PRNGKey(0), Start.prior(3))
    assert np.all(np.abs(np.asarray(prior.replicas.z)[:, -1] - mean).max(-1) > 3 * sd.max())


def test_laplace_covariance_of_a_reverse_only_model_uses_finite_differences():
    """ODE kernels (diffrax, reverse-only adjoint) have no forward-mode derivative; the
    Laplace start must still work: the Hessian then comes from differences of gradients."""
    prec = np.array([[4.0, 1.0], [1.0, 3.0]])

    @jax.custom_vjp
    def log_density(z):
        return -0.5 * z @ prec @ z

    log_density.defvjp(lambda z: (log_density(z), z), lambda z, g: (-(prec @ z) * g,))
    with pytest.raises(TypeError):
        jax.hessian(log_density)(np.zeros(2))
    cov = laplace_covariance(log_density, np.array([0.3, -0.2]))
    np.testing.assert_allclose(np.asarray(cov), np.linalg.inv(prec), rtol=1e-6)
