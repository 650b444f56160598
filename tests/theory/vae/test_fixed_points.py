"""Closed forms of the online dynamics against the spec's checkpoints, against roots of
the spec's scalar ODE (SciPy, written in the tests' helpers) and against a linear
stability analysis done here."""

import jax
import numpy as np
import pytest
from scipy.optimize import fsolve

from bayesfit.theory import vae

from .._helpers import scalar_eps_g, scalar_ode_rhs


def test_beta_pc_checkpoints():
    assert float(vae.beta_pc(1.0, 1.0)) == 2.0
    assert float(vae.beta_pc(1.0, 1.0, 0.5)) == pytest.approx(1.0833, abs=1e-4)


@pytest.mark.parametrize("rho, eta, lam", [(1.0, 1.0, 0.0), (2.0, 0.5, 0.3), (0.7, 1.4, 1.0)])
def test_beta_pc_is_where_the_collapsed_point_loses_stability(rho, eta, lam):
    """Largest eigenvalue of the (m, d) Jacobian at m = d = 0, Q = E = R = 0, D = 1,
    by finite differences of the scalar ODE: it crosses zero at beta_PC."""

    def top_eig(beta):
        y0 = np.array([0.0, 0.0, 0.0, 0.0, 0.0, 1.0])
        J = np.zeros((2, 2))
        for j in range(2):
            dy = np.zeros(6)
            dy[j] = 1e-7
            f = lambda y: scalar_ode_rhs(y, rho=rho, eta=eta, beta=beta, lam=lam, tau=1e-3)  # noqa: E731
            J[:, j] = (f(y0 + dy) - f(y0 - dy))[:2] / 2e-7
        return np.linalg.eigvals(J).real.max()

    b = float(vae.beta_pc(rho, eta, lam))
    assert top_eig(b - 0.01) > 0 > top_eig(b + 0.01)


def test_fixed_point_checkpoints():
    fp = vae.fixed_point(1.0, 1.0, 1.0)
    np.testing.assert_allclose(
        [float(a.ravel()[0]) for a in fp], [1, 0.5, 1, 0.25, 0.5, 0.5], atol=1e-10
    )
    fp = vae.fixed_point(2.0, 0.5, 0.8, 0.3)
    assert float(fp.Q[0, 0]) == pytest.approx(0.7633, abs=1e-4)
    assert float(fp.m[0, 0]) == pytest.approx(0.8737, abs=1e-4)
    assert float(fp.D[0]) == pytest.approx(0.5117, abs=1e-4)
    assert float(vae.generalization_error(fp, 2.0)) == pytest.approx(0.2922, abs=1e-4)
    assert float(vae.eps_g_star(1.0, 1.0, 1.0, 0.5)) == pytest.approx(0.5404, abs=1e-4)
    assert float(vae.solve_q(2.0, 1.0, 0.5)) == pytest.approx(0.0702, abs=1e-4)
    for beta, eps in [(0.5, 0.0505), (1.0, 0.0), (1.5, 0.0858), (2.0, 1.0), (2.5, 1.0)]:
        assert float(vae.eps_g_star(1.0, 1.0, beta)) == pytest.approx(eps, abs=1e-4)
    assert float(vae.optimal_beta(1.0, 0.6)) == pytest.approx(0.6, abs=1e-9)


@pytest.mark.parametrize(
    "rho, eta, beta, lam", [(1.0, 1.0, 1.0, 0.0), (2.0, 0.5, 0.8, 0.3), (1.5, 0.7, 0.4, 0.1)]
)
def test_closed_form_is_the_small_tau_root_of_the_ode(rho, eta, beta, lam):
    """fsolve of the spec's scalar ODE at tau = 1e-3 reproduces the tau -> 0 closed form
    to O(tau), and stationary_overlaps (Newton, JAX) reproduces fsolve at tau = 0.1."""
    fp = vae.fixed_point(rho, eta, beta, lam)
    guess = np.array([float(a.ravel()[0]) for a in fp])
    for tau, tol in [(1e-3, 5e-3), (0.1, 1e-8)]:

        def f(y, tau=tau):
            return scalar_ode_rhs(y, rho=rho, eta=eta, beta=beta, lam=lam, tau=tau) / tau

        root = fsolve(f, guess, xtol=1e-13)
        assert np.abs(f(root)).max() < 1e-10
        if tau < 0.01:
            np.testing.assert_allclose(root, guess, atol=tol)
        else:
            st = vae.stationary_overlaps(rho, eta, beta, tau, lam)
            np.testing.assert_allclose([float(a.ravel()[0]) for a in st], root, atol=tol)


def test_finite_tau_error_is_linear_in_tau():
    """eps_g* ~ 0.42 tau at rho = eta = beta = 1 (spec: 0.0004, 0.0042, 0.0421)."""
    for tau, want in [(0.001, 0.0004), (0.01, 0.0042), (0.1, 0.0421)]:
        st = vae.stationary_overlaps(1.0, 1.0, 1.0, tau)
        y = np.array([float(a.ravel()[0]) for a in st])
        assert scalar_eps_g(y, 1.0) == pytest.approx(want, abs=5e-5)


def test_superfluous_latent_closed_form():
    """M = 2: (sqrt(rho) - sqrt(rho+eta-beta))^2 + (eta - beta)_+ (spec Sec. 1.5)."""
    for beta in (0.3, 0.5, 1.2, 1.9):
        want = (1 - np.sqrt(2 - beta)) ** 2 + max(1 - beta, 0)
        assert float(vae.eps_g_star(1.0, 1.0, beta, M=2)) == pytest.approx(want, abs=1e-10)
    assert float(vae.noise_latent_q(1.0, 0.5)) == pytest.approx(0.5, abs=1e-12)


def test_gradients_of_closed_forms():
    f = jax.jit(lambda r, e, b, l: vae.eps_g_star(r, e, b, l))
    g = jax.grad(f, argnums=(0, 1, 2, 3))(2.0, 0.5, 0.8, 0.3)
    x = np.array([2.0, 0.5, 0.8, 0.3])
    for i in range(4):
        dx = np.zeros(4)
        dx[i] = 1e-6
        fd = (float(f(*(x + dx))) - float(f(*(x - dx)))) / 2e-6
        assert float(g[i]) == pytest.approx(fd, rel=1e-5, abs=1e-8)
    gs = jax.grad(
        lambda t: vae.generalization_error(vae.stationary_overlaps(1.0, 1.0, 1.0, t), 1.0)
    )(0.1)
    fd = float(
        vae.generalization_error(vae.stationary_overlaps(1.0, 1.0, 1.0, 0.1001), 1.0)
    ) - float(vae.generalization_error(vae.stationary_overlaps(1.0, 1.0, 1.0, 0.0999), 1.0))
    assert float(gs) == pytest.approx(fd / 2e-4, rel=1e-5)
