"""Matrix games on simplices: the LP simulator against brute force on small games, and
the RS value and support fractions against LP solutions of sampled games (spec Sec. 3.2)."""

import itertools

import jax
import numpy as np
import pytest

from bayesfit.theory import games


def _brute_force_value(A):
    """Game value by support enumeration (equalising strategies on square supports)."""
    N, M = A.shape
    best = None
    for k in range(1, min(N, M) + 1):
        for I in itertools.combinations(range(N), k):
            for J in itertools.combinations(range(M), k):
                S = A[np.ix_(I, J)]
                try:
                    lhs = np.block([[S.T, -np.ones((k, 1))], [np.ones((1, k)), np.zeros((1, 1))]])
                    sol = np.linalg.solve(lhs, np.r_[np.zeros(k), 1.0])
                    lhs2 = np.block([[S, -np.ones((k, 1))], [np.ones((1, k)), np.zeros((1, 1))]])
                    sol2 = np.linalg.solve(lhs2, np.r_[np.zeros(k), 1.0])
                except np.linalg.LinAlgError:
                    continue
                x, v, y = sol[:k], sol[-1], sol2[:k]
                if x.min() < -1e-12 or y.min() < -1e-12:
                    continue
                xf = np.zeros(N)
                xf[list(I)] = x
                yf = np.zeros(M)
                yf[list(J)] = y
                if (A.T @ xf).max() <= v + 1e-9 and (A @ yf).min() >= v - 1e-9:
                    best = v
    return best


def test_lp_matches_brute_force_on_small_games():
    rng = np.random.default_rng(0)
    for shape in [(2, 2), (3, 4), (4, 3), (4, 4)]:
        A = rng.standard_normal(shape)
        sol = games.solve_matrix_game(A)
        assert sol.value == pytest.approx(_brute_force_value(A), abs=1e-8)
        assert (A.T @ sol.x).max() <= sol.value + 1e-8 and (A @ sol.y).min() >= sol.value - 1e-8


def test_rs_spec_values():
    rs = games.simplex_game_rs(np.array([0.5, 1.0, 2.0]))
    np.testing.assert_allclose(rs.f, [0.8292, 0.0, -0.8292], atol=1e-4)
    np.testing.assert_allclose(rs.rho_x, [0.662, 0.5, 0.331], atol=1e-3)
    np.testing.assert_allclose(rs.rho_y, [0.331, 0.5, 0.662], atol=1e-3)


@pytest.mark.parametrize("gamma", [0.5, 2.0])
def test_rs_matches_lp_of_sampled_games(gamma):
    M = 150
    N = int(gamma * M)
    data = games.sample_games(3, N, M, 10)
    rs = games.simplex_game_rs(gamma)
    # support sizes fluctuate by ~0.05 per game at this size: 10 games, 3 standard errors
    assert data["rho_x"].mean() == pytest.approx(float(rs.rho_x), abs=0.04)
    assert data["rho_y"].mean() == pytest.approx(float(rs.rho_y), abs=0.04)
    assert data["f"].mean() == pytest.approx(float(rs.f), abs=0.15)


def test_rs_gradient_in_gamma():
    f = jax.jit(lambda g: games.simplex_game_rs(g).rho_x + games.simplex_game_rs(g).f)
    for g0 in (0.4, 1.0, 3.0):
        fd = (float(f(g0 + 1e-6)) - float(f(g0 - 1e-6))) / 2e-6
        assert float(jax.grad(f)(g0)) == pytest.approx(fd, rel=1e-5)
