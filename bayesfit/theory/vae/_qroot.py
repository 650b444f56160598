"""The one-dimensional saddle-point equation for the decoder norm q = ||W||^2 / N.

Both the online fixed point (population covariance) and the finite-dataset replica
solution reduce, after eliminating the encoder and D, to minimising (spec Sec. 2.2)

    E(q) = -q nu^2 / (2((q + beta) nu + lam)) + (beta/2) log(1 + q/beta) + lam q / 2

over q >= 0, with nu the top eigenvalue of the (sample) covariance and lam the effective
per-sample weight decay. Its stationarity condition is F(q) = 0 with

    F(q) = -nu^2 (beta nu + lam) / ((q + beta) nu + lam)^2 + beta / (beta + q) + lam.

q = 0 (posterior collapse) when F(0) >= 0, i.e. nu^2 <= (1 + lam)(beta nu + lam);
otherwise F(0) < 0 <= F(nu) and the unique root is found by bisection (optimistix),
differentiated by the implicit-function theorem (optimistix ``ImplicitAdjoint``).
References: arXiv:2309.07663 (replica), arXiv:2310.15440 (fixed points).
"""

from __future__ import annotations

import jax
import jax.numpy as jnp
import optimistix as optx


def q_equation(q, nu, beta, lam):
    """F(q) above (dimensionless)."""
    return -(nu**2) * (beta * nu + lam) / ((q + beta) * nu + lam) ** 2 + beta / (beta + q) + lam


def collapsed(nu, beta, lam):
    """True where q = 0 is the minimiser: F(0) >= 0, i.e. nu^2 <= (1 + lam)(beta nu + lam).

    Tested through F(0) itself so that the bisection bracket [0, nu + 1] is consistent
    with it to the last bit."""
    return q_equation(0.0, nu, beta, lam) >= 0.0


def _root(nu, beta, lam):
    # F(nu + 1) > 0 always: with s = nu + 1 + beta > max(nu, 1), the negative term is
    # <= (beta nu^3 + lam nu^2) / (s nu)^2 = beta nu / s^2 + lam / s^2 < beta / s + lam.
    upper = nu + 1.0
    sol = optx.root_find(
        lambda q, args: q_equation(q, *args),
        optx.Bisection(rtol=1e-13, atol=1e-14),
        0.5 * upper,
        args=(nu, beta, lam),
        options={"lower": 0.0, "upper": upper},
        max_steps=256,
        throw=False,
    )
    return sol.value


@jax.jit
def solve_q(nu, beta, lam):
    """Minimising q >= 0 of E(q) (0 when collapsed); broadcasts; differentiable.

    ``nu``: top eigenvalue of the data covariance (> 0); ``beta``: KL weight (> 0);
    ``lam``: effective weight decay per sample (>= 0).
    """
    nu, beta, lam = jnp.broadcast_arrays(*(jnp.asarray(a, jnp.float64) for a in (nu, beta, lam)))
    col = collapsed(nu, beta, lam)
    valid = jnp.isfinite(nu + beta + lam) & (nu > 0) & (beta > 0) & (lam >= 0)
    # F(nu + 1) > 0 holds exactly, but rounding can break it at absurd inputs (nu ~ 1e16):
    # such points get NaN rather than a solver error.
    valid = valid & (col | (q_equation(nu + 1.0, nu, beta, lam) > 0.0))
    # Feed the root finder a well-posed stand-in where collapsed (or the inputs are out of
    # range), so that neither the value nor the implicit gradient of an unused branch can
    # be NaN, and a sampler's stray proposal cannot stop the solver.
    stand_in = col | ~valid
    safe = lambda a, b: jnp.where(stand_in, b, a)  # noqa: E731
    nu_s, beta_s, lam_s = safe(nu, 2.0), safe(beta, 1.0), safe(lam, 0.0)
    flat = jax.vmap(_root)(nu_s.ravel(), beta_s.ravel(), lam_s.ravel()).reshape(nu.shape)
    return jnp.where(valid, jnp.where(col, 0.0, flat), jnp.nan)


def safe_sqrt(x):
    """sqrt(x) with a zero (not NaN) gradient at x = 0, where q = 0 or o2 = 0 is a whole
    phase (collapse, over-learning) rather than a point."""
    pos = x > 0.0
    return jnp.where(pos, jnp.sqrt(jnp.where(pos, x, 1.0)), 0.0)
