"""Replica solution: the spec's checkpoints (Sec. 2.4), the reduction against direct
minimisation of the empirical objective (SciPy L-BFGS, Sec. 2.6), BBP against sampled
spectra, and gradients."""

import jax
import numpy as np
import pytest

from bayesfit.theory import vae

from .._helpers import empirical_vae_minimum, sample_dataset, top_eigenpair

R1 = dict(rho=1.0, eta=1.0)


def test_spectral_and_order_parameter_checkpoints():
    assert float(vae.alpha_c(1.0, 1.0)) == 1.0
    s = vae.bbp_spectrum(10.0, 1.0, 1.0)
    sol = vae.replica_solution(10.0, beta=1.0, lam=1.0, **R1)
    np.testing.assert_allclose(
        [s.nu, s.o2, sol.q, sol.m, sol.eps_g], [2.2, 0.8182, 0.8491, 0.8335, 0.1821], atol=1e-4
    )
    s = vae.bbp_spectrum(0.4, 1.0, 1.0)
    sol = vae.replica_solution(0.4, beta=1.0, lam=1.0, **R1)
    np.testing.assert_allclose(
        [s.nu, s.o2, sol.q, sol.eps_g], [6.662, 0.0, 0.2986, 1.2986], atol=1e-3
    )


def test_eps_g_versus_alpha_checkpoints():
    a = np.array([0.25, 0.5, 0.9, 1.0, 1.1, 2, 5, 10, 100])
    want = [1.195, 1.346, 1.459, 1.477, 1.186, 0.7045, 0.336, 0.182, 0.0198]
    np.testing.assert_allclose(
        vae.replica_solution(a, beta=1.0, lam=1.0, **R1).eps_g, want, atol=1e-3
    )
    a = np.array([0.25, 1.0, 2.0, 10.0])
    got = np.asarray(vae.replica_solution(a, beta=1.0, lam=0.01, **R1).eps_g)
    # the spec's digits: half a unit in the last place
    assert np.all(np.abs(got - [7.04, 3.856, 1.342, 0.217]) <= [5e-3, 5e-4, 5e-4, 5e-4])


def test_rate_distortion_checkpoints():
    sol = vae.replica_solution(1e8, beta=1.0, lam=1.0, **R1)
    assert float(sol.rate_test) == pytest.approx(0.5 * np.log(2), abs=1e-4)
    assert float(sol.distortion_test) == pytest.approx(-0.5, abs=1e-4)
    b = np.array([0.25, 1.0, 1.5, 1.9])
    sol = vae.replica_solution(5.0, beta=b, lam=1.0, **R1)
    np.testing.assert_allclose(sol.rate_test, [0.883, 0.252, 0.090, 0.003], atol=1e-3)
    np.testing.assert_allclose(sol.distortion_test, [-0.687, -0.329, -0.135, -0.005], atol=1e-3)
    sol = vae.replica_solution(1.0, beta=np.array([1.0, 1.9]), lam=1.0, **R1)
    np.testing.assert_allclose(sol.rate_test, [0.113, 0.0], atol=1e-3)
    np.testing.assert_allclose(sol.distortion_test, [-0.077, 0.0], atol=1e-3)


def test_phases():
    ph = vae.phase(np.array([0.4, 10.0, 0.01]), beta=1.0, lam=1.0, **R1)
    assert ph.tolist() == [vae.OVERLEARNING, vae.LEARNING, vae.COLLAPSE]
    assert int(vae.phase(10.0, beta=2.5, lam=1.0, **R1)) == vae.COLLAPSE


@pytest.mark.parametrize("alpha", [0.4, 2.0, 5.0])
@pytest.mark.parametrize("beta, lam", [(0.5, 1.0), (1.5, 0.1)])
def test_reduction_matches_direct_minimisation(alpha, beta, lam):
    """With the finite-N top eigenpair as input, the closed form equals the global
    minimiser of the full empirical objective (N = 600) to 1e-3 (spec Sec. 2.6)."""
    rng = np.random.default_rng(int(10 * alpha + 100 * beta))
    N = 600
    X, w = sample_dataset(rng, int(alpha * N), N, 1.0, 1.0)
    q, m, D = empirical_vae_minimum(X, w, beta=beta, lam=lam)
    nu, o2 = top_eigenpair(X, w)
    th = vae.solution_from_spectrum(nu, o2, rho=1.0, eta=1.0, beta=beta, lam_eff=lam / alpha)
    np.testing.assert_allclose([q, m, D], [th.q, th.m, th.D], atol=1e-3)
    assert 1.0 - 2.0 * m + q == pytest.approx(float(th.eps_g), abs=1e-3)


@pytest.mark.parametrize("alpha", [0.4, 5.0])
def test_bbp_inputs_match_sampled_spectra(alpha):
    rng = np.random.default_rng(7)
    N = 1500
    X, w = sample_dataset(rng, int(alpha * N), N, 1.0, 1.0)
    nu, o2 = top_eigenpair(X, w)
    s = vae.bbp_spectrum(alpha, 1.0, 1.0)
    assert nu == pytest.approx(float(s.nu), rel=0.03)
    assert o2 == pytest.approx(float(s.o2), abs=0.05)


def test_gradients_match_finite_differences():
    def f(x):
        s = vae.replica_solution(x[0], rho=x[1], eta=x[2], beta=x[3], lam=x[4])
        return s.eps_g + 0.3 * s.rate_test - 0.2 * s.distortion_train

    f = jax.jit(f)
    for x in ([5.0, 1.2, 0.8, 0.9, 1.0], [0.5, 1.0, 1.0, 0.7, 1.0]):
        x = np.array(x)
        g = jax.grad(f)(x)
        for i in range(5):
            dx = np.zeros(5)
            dx[i] = 1e-6
            fd = (float(f(x + dx)) - float(f(x - dx))) / 2e-6
            assert float(g[i]) == pytest.approx(fd, rel=1e-5, abs=1e-8), (x, i)
