"""Exact solution of zero-sum matrix games by linear programming (SciPy HiGHS).

The simulator behind the matrix-game kernel's data: sample A (N x M, i.i.d. N(0, 1)),
solve min_{x in Delta_N} max_{y in Delta_M} x^T A y exactly, and record the value and the
support fractions of both optimal strategies. NumPy/SciPy, not traced by JAX.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from scipy.optimize import linprog


class GameSolution(NamedTuple):
    """Game value v = min_x max_y x^T A y, optimal strategies, support fractions."""

    value: float
    x: np.ndarray
    y: np.ndarray
    rho_x: float
    rho_y: float


def _minimiser(A: np.ndarray):
    """min v s.t. A^T x <= v 1, sum x = 1, x >= 0 (variables x, v)."""
    N, M = A.shape
    c = np.zeros(N + 1)
    c[-1] = 1.0
    A_ub = np.hstack([A.T, -np.ones((M, 1))])
    A_eq = np.hstack([np.ones((1, N)), np.zeros((1, 1))])
    bounds = [(0, None)] * N + [(None, None)]
    res = linprog(
        c, A_ub=A_ub, b_ub=np.zeros(M), A_eq=A_eq, b_eq=[1.0], bounds=bounds, method="highs"
    )
    if res.status != 0:
        raise RuntimeError(f"linprog failed on a {N}x{M} game: {res.message}")
    return res.x[:N], res.x[-1]


def solve_matrix_game(A, *, tol: float = 1e-9) -> GameSolution:
    """Exact min-max solution of the game with payoff matrix ``A`` (N x M) to the
    maximiser. A strategy is in the support where its probability exceeds ``tol``."""
    A = np.asarray(A, dtype=float)
    x, v = _minimiser(A)
    y, w = _minimiser(-A.T)  # the maximiser's problem: min_y max_x -x^T A y = -v
    if abs(v + w) > 1e-7 * max(1.0, abs(v)):
        raise RuntimeError(f"primal and dual game values disagree: {v} vs {-w}")
    return GameSolution(
        value=float(v), x=x, y=y, rho_x=float(np.mean(x > tol)), rho_y=float(np.mean(y > tol))
    )


def sample_games(seed: int, N: int, M: int, n_games: int):
    """Solve ``n_games`` random N x M games with A_ij ~ N(0, 1).

    Returns a dict of arrays (n_games,): ``f`` = (N M)^(1/4) x value (the RS
    normalisation), ``rho_x``, ``rho_y`` (support fractions).
    """
    rng = np.random.default_rng(seed)
    out = {"f": [], "rho_x": [], "rho_y": []}
    for _ in range(n_games):
        sol = solve_matrix_game(rng.standard_normal((N, M)))
        out["f"].append((N * M) ** 0.25 * sol.value)
        out["rho_x"].append(sol.rho_x)
        out["rho_y"].append(sol.rho_y)
    return {k: np.asarray(v) for k, v in out.items()}
