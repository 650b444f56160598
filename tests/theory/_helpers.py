"""Shared test helpers for the theory kernels: independent reference implementations.

Everything here is written from the specification's equations, separately from
bayesfit.theory, so that tests compare two routes rather than re-running one.
"""

from __future__ import annotations

import jax
import numpy as np

jax.config.update("jax_enable_x64", True)


def scalar_ode_rhs(y, *, rho, eta, beta, lam, tau):
    """The spec's scalar M = M* = 1 ODE (Sec. 1.4), in NumPy: y = (m, d, Q, E, R, D)."""
    m, d, Q, E, R, D = y
    P = rho + eta
    C = rho * d * d + eta * E
    B = rho * m * d + eta * R
    S = rho * m * m + eta * Q
    K = Q + beta
    return np.array(
        [
            tau * (P * d - (C + D + lam) * m),
            tau * (P * m - K * P * d - lam * d),
            2 * tau * (B - (C + D + lam) * Q) + tau**2 * eta * C,
            -2 * tau * (K * C - B + lam * E) + tau**2 * eta * (S - 2 * K * B + K * K * C),
            tau * (C * (1 - R) + S - K * B - (D + 2 * lam) * R) - tau**2 * eta * (K * C - B),
            -(tau / 2) * (Q + beta * (1 - 1 / D)),
        ]
    )


def scalar_eps_g(y, rho):
    m, Q = y[0], y[2]
    return rho - 2 * np.sqrt(rho) * np.abs(m) + Q


def central_difference(f, x: dict, key: str, h: float = 1e-6) -> float:
    """d f / d x[key] by central differences (f returns a float)."""
    up, dn = dict(x), dict(x)
    up[key] = x[key] + h
    dn[key] = x[key] - h
    return (float(f(up)) - float(f(dn))) / (2 * h)


def empirical_vae_minimum(X, W_star, *, beta, lam, seed=0, restarts=2):
    """Global minimiser of the summed finite-dataset objective (spec Sec. 2.1) by SciPy
    L-BFGS on a NumPy objective written here (M = 1, best of ``restarts``).

    Returns (q, |m|, eps_g-ready m sign-free, D) with q = ||W||^2/N, m = W.W*/N.
    """
    from scipy.optimize import minimize

    n, N = X.shape
    sq = np.sqrt(N)
    C = X.T @ X  # sum over samples of x x^T

    def f(z):
        u, v, logD = z[:N], z[N : 2 * N], z[-1]
        D = np.exp(logD)
        q = u @ u / N
        Cv, Cu = C @ v, C @ u
        s_mu2 = v @ Cv / N  # sum_mu mu^2
        s_amu = u @ Cv / N  # sum_mu a mu
        L = -s_amu + 0.5 * q * s_mu2 + 0.5 * n * q * D
        L += 0.5 * beta * (s_mu2 + n * (D - logD - 1))
        L += 0.5 * lam * (u @ u + v @ v)
        gu = -Cv / N + (s_mu2 + n * D) * u / N + lam * u
        gv = -Cu / N + (q + beta) * Cv / N + lam * v
        gD = 0.5 * n * q * D + 0.5 * beta * n * (D - 1)
        return L / n, np.concatenate([gu, gv, [gD]]) / n

    del sq
    best = None
    rng = np.random.default_rng(seed)
    for _ in range(restarts):
        z0 = np.concatenate([rng.standard_normal(2 * N), [0.0]])
        res = minimize(
            f,
            z0,
            jac=True,
            method="L-BFGS-B",
            options={"maxiter": 5000, "gtol": 1e-10, "ftol": 1e-14},
        )
        if best is None or res.fun < best.fun:
            best = res
    u = best.x[:N]
    return u @ u / N, abs(u @ W_star) / N, np.exp(best.x[-1])


def sample_dataset(rng, n, N, rho, eta):
    """n spiked-covariance samples with a random unit-norm-per-N teacher (NumPy)."""
    w = rng.standard_normal(N)
    w *= np.sqrt(N) / np.linalg.norm(w)
    c = np.sqrt(rho) * rng.standard_normal(n)
    X = np.outer(c, w) / np.sqrt(N) + np.sqrt(eta) * rng.standard_normal((n, N))
    return X, w


def top_eigenpair(X, w):
    """(nu_hat, o2_hat): top eigenvalue of X^T X / n and squared overlap with w/sqrt(N)."""
    n, N = X.shape
    ev, V = np.linalg.eigh(X.T @ X / n)
    return ev[-1], (V[:, -1] @ w) ** 2 / N
