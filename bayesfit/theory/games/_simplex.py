"""Replica-symmetric solution of random zero-sum matrix games on simplices.

x in the simplex Delta_N (the minimiser), y in Delta_M (the maximiser), payoff x^T A y
with A_ij ~ N(0, 1), gamma = N/M. At zero temperature the RS saddle point reduces to two
unknowns (a_x, a_y) (spec Sec. 3.2, the formalism of arXiv:2409.06053 as implemented in
the authors' follow-up code for arXiv:2602.14858, "Thermal min-max games"):

    A(a) = a Phi(a) + phi(a),   B(a) = (a^2 + 1) Phi(a) + a phi(a),   q(a) = B / A^2,
    Phi(a_y) = gamma Phi(a_x),  sqrt(gamma) a_x sqrt(q(a_y)) + a_y sqrt(q(a_x)) = 0.

Value f = (gamma^-1/4 a_x sqrt(q_y) - gamma^1/4 a_y sqrt(q_x)) / 2, normalised as
f = (N M)^(1/4) x (game value); support fractions rho_x = Phi(a_x), rho_y = Phi(a_y).
The first equation is solved for a_y in closed form; the second is a 1-D root in a_x
(bisection, implicit gradients), so everything is differentiable in gamma.
"""

from __future__ import annotations

from typing import NamedTuple

import jax
import jax.numpy as jnp
import optimistix as optx
from jax.scipy.special import ndtr, ndtri


class GameRS(NamedTuple):
    """RS predictions: normalised value ``f`` and support fractions of x and y."""

    f: jnp.ndarray
    rho_x: jnp.ndarray
    rho_y: jnp.ndarray
    a_x: jnp.ndarray
    a_y: jnp.ndarray


def _phi(a):
    return jnp.exp(-0.5 * a * a) / jnp.sqrt(2.0 * jnp.pi)


def _q(a):
    A = a * ndtr(a) + _phi(a)
    B = (a * a + 1.0) * ndtr(a) + a * _phi(a)
    return B / A**2


def _a_y(a_x, gamma):
    return ndtri(jnp.clip(gamma * ndtr(a_x), 1e-300, 1.0 - 1e-15))


def _h(a_x, gamma):
    a_y = _a_y(a_x, gamma)
    return jnp.sqrt(gamma) * a_x * jnp.sqrt(_q(a_y)) + a_y * jnp.sqrt(_q(a_x))


def _solve_one(gamma):
    # a_y exists while gamma Phi(a_x) < 1; h < 0 as a_x -> -inf and h > 0 at the top.
    hi = jnp.minimum(8.0, ndtri(jnp.minimum((1.0 - 1e-12) / gamma, 1.0 - 1e-15)))
    sol = optx.root_find(
        _h,
        optx.Bisection(rtol=1e-13, atol=1e-13),
        0.0,
        args=gamma,
        options={"lower": -8.0, "upper": hi},
        max_steps=256,
        throw=False,
    )
    return sol.value


@jax.jit
def simplex_game_rs(gamma) -> GameRS:
    """RS value and support fractions at aspect ratio ``gamma`` = N/M (> 0, broadcasts)."""
    gamma = jnp.asarray(gamma, jnp.float64)
    valid = jnp.isfinite(gamma) & (gamma > 0) & (gamma < 1e6) & (gamma > 1e-6)
    g_safe = jnp.where(valid, gamma, 1.0)  # a stand-in keeps the solver well posed
    a_x = jax.vmap(_solve_one)(g_safe.ravel()).reshape(gamma.shape)
    a_x = jnp.where(valid, a_x, jnp.nan)
    a_y = _a_y(a_x, gamma)
    qx, qy = _q(a_x), _q(a_y)
    g4 = gamma**0.25
    f = 0.5 * (a_x * jnp.sqrt(qy) / g4 - g4 * a_y * jnp.sqrt(qx))
    return GameRS(f=f, rho_x=ndtr(a_x), rho_y=ndtr(a_y), a_x=a_x, a_y=a_y)
