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
