"""Full-batch training: it reaches the global minimiser found by SciPy, and its empirical
training rate and distortion match the replica closed form at the sample spectrum."""

import jax.numpy as jnp
import numpy as np
import pytest

from bayesfit.theory import vae

from .._helpers import empirical_vae_minimum, sample_dataset, top_eigenpair


@pytest.mark.parametrize("beta, lam", [(1.0, 1.0), (0.6, 0.2)])
def test_full_batch_training_finds_the_global_minimum(beta, lam):
    alpha = 2.0  # one shape: the jitted trainer compiles once
    rng = np.random.default_rng(3)
    N = 150
    X, w = sample_dataset(rng, int(alpha * N), N, 1.0, 1.0)
    q_ref, m_ref, D_ref = empirical_vae_minimum(X, w, beta=beta, lam=lam, restarts=1)
    Ws = jnp.asarray(w)[:, None]
    init = vae.Weights(
        W=jnp.asarray(rng.standard_normal((N, 1))),
        W_enc=jnp.asarray(rng.standard_normal((1, N))),
        D=jnp.ones(1),
    )
    fit = vae.train_full_batch(jnp.asarray(X), init, beta=beta, lam=lam, steps=400)
    ov = vae.overlaps_from_weights(fit.weights.W, fit.weights.W_enc, fit.weights.D, Ws)
    assert float(fit.grad_norm) < 1e-8
    np.testing.assert_allclose(
        [float(ov.Q[0, 0]), abs(float(ov.m[0, 0])), float(ov.D[0])],
        [q_ref, m_ref, D_ref],
        atol=1e-6,
    )
    # empirical training rate-distortion equals the closed form at (nu_hat, o2_hat)
    nu, o2 = top_eigenpair(X, w)
    th = vae.solution_from_spectrum(nu, o2, rho=1.0, eta=1.0, beta=beta, lam_eff=lam / alpha)
    rate, dist = vae.rate_distortion(fit.weights, jnp.asarray(X))
    assert float(rate) == pytest.approx(float(th.rate_train), abs=1e-6)
    assert float(dist) == pytest.approx(float(th.distortion_train), abs=1e-6)
