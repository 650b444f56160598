"""Where the replicas start (multi-start MAP + Laplace) and the "spread" first ladder,
checked against the conjugate model's exact posterior and a NumPy recomputation."""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np

from bayesfit.inference.remc._driver import Runner, Start
from bayesfit.inference.remc._sampler import Path
from bayesfit.inference.remc._start import laplace_start

from .helpers import make_linear_gaussian

OPTS = dict(replicas=8, chains=3, draws=4, warmup=4, move="hmc", leapfrog_steps=2,
            moves_per_step=1, target_accept=0.75, adapt_ladder=True, chunk=4)
PATH = Path(jnp.zeros(1), jnp.ones(1), jnp.zeros(()), jnp.asarray(True))


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
    state = runner.initial_state(jax.random.PRNGKey(0), start, PATH)
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
    prior = runner.initial_state(jax.random.PRNGKey(0), Start.prior(3), PATH)
    assert np.all(np.abs(np.asarray(prior.replicas.z)[:, -1] - mean).max(-1) > 3 * sd.max())


def test_spread_ladder_starts_at_one_over_the_prior_spread_and_is_geometric():
    m = make_linear_gaussian(n=50, sigma=0.05)
    runner = Runner(m.problem, ladder="spread", **OPTS)
    flat = m.problem.sample_prior_z(jax.random.PRNGKey(3), 24)
    b = np.asarray(runner.first_ladder(flat, PATH))
    # the integrand by hand: the Gaussian log likelihood of every prior draw
    resid = m.y[None, :] - np.asarray(flat) @ m.x.T
    u = -0.5 * np.sum(resid**2, 1) / 0.05**2 - 50 * np.log(0.05 * np.sqrt(2 * np.pi))
    spread = (np.percentile(u, 75) - np.percentile(u, 25)) / 1.349
    assert b[0] == 0.0 and b[-1] == 1.0
    np.testing.assert_allclose(b[1], 1.0 / spread, rtol=1e-8)
    ratios = b[2:] / b[1:-1]
    np.testing.assert_allclose(ratios, ratios[0], rtol=1e-8)
    power = np.asarray(Runner(m.problem, **OPTS).first_ladder(flat, PATH))
    np.testing.assert_allclose(power, (np.arange(8) / 7) ** 4)
