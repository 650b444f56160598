"""Collapse boundary, plateau edge, optimal beta and inevitable collapse: the spec's
checkpoints (Sec. 2.3-2.4), brute-force scans of the replica solution, and gradients."""

import jax
import numpy as np
import pytest

from bayesfit.theory import vae


def test_plateau_edge_checkpoints_and_closed_form():
    for beta, want in [
        (0.5, 0.0192),
        (1.0, 0.1006),
        (1.5, 0.3685),
        (1.8, 1.5),
        (1.9, 4.0),
        (1.95, 9.0),
        (1.99, 49.0),
    ]:
        assert float(vae.plateau_edge(beta, 1.0, 1.0, 1.0)) == pytest.approx(want, abs=1e-4)
    assert float(vae.plateau_edge(0.6, 1.5, 0.5, 0.3)) == 0.0  # beta below beta_c(alpha -> 0)
    for beta in (1.76, 1.85, 1.97):  # alpha_PC = 1/(2(2 - beta)) - 1 on [1.75, 2)
        assert float(vae.plateau_edge(beta, 1.0, 1.0, 1.0)) == pytest.approx(
            1 / (2 * (2 - beta)) - 1, rel=1e-8
        )
    assert np.isinf(float(vae.plateau_edge(2.0, 1.0, 1.0, 1.0)))


@pytest.mark.parametrize("beta, rho, eta, lam", [(1.2, 1.0, 1.0, 1.0), (1.5, 1.5, 0.5, 0.3)])
def test_plateau_edge_against_a_scan_of_the_solution(beta, rho, eta, lam):
    """The replica q is 0 on a fine alpha grid below alpha_PC and > 0 just above it."""
    edge = float(vae.plateau_edge(beta, rho, eta, lam))
    assert 0 < edge < np.inf
    a = edge * np.array([0.2, 0.5, 0.9, 0.99, 1.01, 1.1, 2.0])
    q = np.asarray(vae.replica_solution(a, rho=rho, eta=eta, beta=beta, lam=lam).q)
    assert np.all(q[:4] == 0) and np.all(q[4:] > 0)


@pytest.mark.parametrize("alpha", [0.3, 1.0, 4.0])
def test_beta_c_against_bisection_on_collapse(alpha):
    lo, hi = 1e-3, 20.0
    for _ in range(60):
        mid = 0.5 * (lo + hi)
        q = float(vae.replica_solution(alpha, rho=1.2, eta=0.8, beta=mid, lam=0.5).q)
        lo, hi = (mid, hi) if q > 0 else (lo, mid)
    assert float(vae.beta_c(alpha, 1.2, 0.8, 0.5)) == pytest.approx(lo, abs=1e-8)


def test_beta_c_limits():
    assert float(vae.beta_c(1e9, 1.0, 1.0, 1.0)) == pytest.approx(2.0, abs=1e-8)
    assert float(vae.beta_c(1e-9, 1.0, 0.5, 0.25)) == pytest.approx(
        0.5 / 0.25 - 0.25 / 0.5, abs=1e-3
    )


def test_beta_opt_checkpoints_and_grid_minimum():
    for alpha, want in [
        (1.5, 1.526),
        (2, 1.391),
        (3, 1.241),
        (5, 1.118),
        (7, 1.069),
        (10, 1.038),
        (50, 1.0019),
        (100, 1.0005),
    ]:
        b = float(vae.beta_opt(alpha, 1.0, 1.0, 1.0))
        assert b == pytest.approx(want, abs=6e-4)
        assert float(vae.best_eps_g(alpha, 1.0, 1.0)) == pytest.approx(2 / (1 + alpha), abs=1e-12)
        grid = np.linspace(0.05, 1.99, 3000)
        eps = np.asarray(vae.replica_solution(alpha, rho=1.0, eta=1.0, beta=grid, lam=1.0).eps_g)
        assert grid[np.argmin(eps)] == pytest.approx(b, abs=2e-3)
        assert eps.min() == pytest.approx(2 / (1 + alpha), abs=1e-6)


def test_inevitable_collapse_checkpoints():
    # (lam, beta*, alpha at the sup, half a unit in the spec's last digit)
    for lam, want, alpha, tol in [
        (1.0, 2.0, np.inf, 1e-9),
        (2.0, 2.0, np.inf, 1e-9),
        (0.8, 2.023, 0.92, 5e-4),
        (0.5, 2.786, 0.31, 5e-4),
        (0.1, 10.92, 0.01, 5e-3),
    ]:
        b, a = vae.inevitable_collapse_beta(1.0, 1.0, lam)
        assert float(b) == pytest.approx(want, abs=tol)
        if np.isinf(alpha):
            assert np.isinf(float(a))
        else:
            assert float(a) == pytest.approx(alpha, rel=0.05)
        # brute force: the largest beta_c on a dense grid never exceeds it
        grid = np.logspace(-4, 6, 20001)
        assert np.asarray(vae.beta_c(grid, 1.0, 1.0, lam)).max() <= float(b) + 1e-9


def test_threshold_gradients():
    cases = [
        (vae.plateau_edge, (1.3, 1.1, 0.9, 0.7)),
        (vae.beta_opt, (4.0, 1.1, 0.9, 0.7)),
        (vae.beta_c, (0.5, 1.1, 0.9, 0.7)),
    ]
    for f, x in cases:
        x = np.array(x)
        g = jax.grad(lambda v, f=f: f(*v))(x)
        for i in range(4):
            dx = np.zeros(4)
            dx[i] = 1e-6
            fd = (float(f(*(x + dx))) - float(f(*(x - dx)))) / 2e-6
            assert float(g[i]) == pytest.approx(fd, rel=1e-5, abs=1e-8), (f.__name__, i)
