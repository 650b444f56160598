"""Closed forms of the online dynamics (tau -> 0) and the exact finite-tau fixed point.

For M = M* = 1 the tau-linear fixed points are the minimisers of the population loss
(spec Sec. 1.5): with nu = rho + eta, q solves the equation of :mod:`._qroot` with
lam' = lam, and m = sqrt(q), kappa = nu / ((q + beta) nu + lam), d = kappa m, E = kappa^2 q,
R = kappa q, D = beta / (beta + q). At lam = 0: q = rho + eta - beta and
epsilon_g* = (sqrt(rho) - sqrt(rho + eta - beta))^2 below beta_PC = rho + eta.
Reference: Ichikawa & Hukushima, arXiv:2310.15440 (fixed-point analysis, Thm 5.1).
"""

from __future__ import annotations

import functools

import jax
import jax.numpy as jnp
import optimistix as optx

from ._drift import drift
from ._overlaps import Overlaps
from ._qroot import q_equation, safe_sqrt, solve_q


def beta_pc(rho, eta, lam=0.0):
    """Posterior-collapse threshold beta_PC(lam) = (rho+eta)/(1+lam) - lam/(rho+eta).

    From the linear stability of (m, d) = 0; independent of the learning rate. For
    beta >= beta_PC the learned state does not exist and SGD collapses (W -> 0).
    ``rho``: signal strength; ``eta``: noise variance; ``lam``: weight decay.
    """
    nu = rho + eta
    return nu / (1.0 + lam) - lam / nu


@jax.jit
def optimal_beta(rho, eta, lam=0.0):
    """KL weight minimising epsilon_g* (tau -> 0): the beta at which q = rho, m = sqrt(rho),
    so epsilon_g* = 0. At lam = 0 it is beta = eta; for lam > 0 it solves
    F(rho; rho + eta, beta, lam) = 0 on (0, beta_PC) (bisection, implicit gradients).
    Where weight decay keeps q below rho even as beta -> 0 (lam >= (rho+eta)(1-rho) ...),
    epsilon_g* falls all the way to beta -> 0 and 0 is returned.
    """
    rho, eta, lam = (jnp.asarray(a, jnp.float64) for a in (rho, eta, lam))
    nu = rho + eta
    hi = beta_pc(rho, eta, lam)
    ok = (hi > 0) & (q_equation(rho, nu, 1e-12, lam) < 0)
    lo_, hi_ = jnp.where(ok, 1e-12, 0.0), jnp.where(ok, hi, 1.0)

    def g(b, a):
        return jnp.where(a[0], q_equation(a[1], a[2], b, a[3]), b - 0.5)

    sol = optx.root_find(
        g,
        optx.Bisection(rtol=1e-12, atol=1e-13),
        0.5 * (lo_ + hi_),
        args=(ok, rho, nu, lam),
        options={"lower": lo_, "upper": hi_},
        max_steps=256,
        throw=False,
    )
    return jnp.where(ok, sol.value, 0.0)


@jax.jit
def fixed_point(rho, eta, beta, lam=0.0) -> Overlaps:
    """Learned (or collapsed) fixed point of the tau -> 0 dynamics, M = M* = 1.

    Returns 1x1 overlaps. Collapsed (beta >= beta_PC): m = d = Q = E = R = 0, D = 1.
    """
    nu = rho + eta
    q = solve_q(nu, beta, lam)
    m = safe_sqrt(q)
    kappa = nu / ((q + beta) * nu + lam)
    one = lambda x: jnp.reshape(x, (1, 1))  # noqa: E731
    return Overlaps(
        m=one(m),
        d=one(kappa * m),
        Q=one(q),
        E=one(kappa**2 * q),
        R=one(kappa * q),
        D=jnp.reshape(beta / (beta + q), (1,)),
    )


@jax.jit
def noise_latent_q(eta, beta, lam=0.0):
    """Squared norm of a superfluous latent (M > M*) at tau -> 0: it fits the isotropic
    bulk (top population eigenvalue eta, no teacher overlap); eta - beta at lam = 0."""
    return solve_q(eta, beta, lam)


@functools.partial(jax.jit, static_argnames=("M",))
def eps_g_star(rho, eta, beta, lam=0.0, *, M: int = 1):
    """Fixed-point generalization error at tau -> 0 for M latents and one factor.

    (sqrt(rho) - sqrt(q))^2 from the signal latent plus q_noise for each of the M - 1
    superfluous latents (:func:`noise_latent_q`): at lam = 0,
    (sqrt(rho) - sqrt(rho+eta-beta))^2 + (M-1)(eta - beta)_+, equal to rho when collapsed.
    """
    q = solve_q(rho + eta, beta, lam)
    return rho - 2.0 * jnp.sqrt(rho) * safe_sqrt(q) + q + (M - 1) * noise_latent_q(eta, beta, lam)


@jax.jit
def stationary_overlaps(
    rho,
    eta,
    beta,
    tau,
    lam=0.0,
    *,
    init: Overlaps | None = None,
    rtol: float = 1e-12,
    atol: float = 1e-14,
) -> Overlaps:
    """Exact fixed point of the finite-tau ODE (with the tau^2 SGD-noise terms).

    Newton's method on the drift of :func:`drift` (optimistix, implicit gradients),
    started from :func:`fixed_point` (M = M* = 1) or ``init``. At rho = eta = beta = 1,
    epsilon_g* ~ 0.42 tau: the tau -> 0 closed form is biased for tau >~ 0.01.
    """
    # float64 arrays, not Python floats: optimistix would treat those as static and
    # recompile for every new value
    rho, eta, beta, tau, lam = (jnp.asarray(a, jnp.float64) for a in (rho, eta, beta, tau, lam))
    y0 = fixed_point(rho, eta, beta, lam) if init is None else init
    y0 = y0._replace(D=jnp.log(y0.D))
    sol = optx.root_find(
        _field_over_tau,
        optx.Newton(rtol=rtol, atol=atol),
        y0,
        args=(rho, eta, beta, lam, tau),
        max_steps=100,
        throw=True,
    )
    return sol.value._replace(D=jnp.exp(sol.value.D))


def _field_over_tau(y, args):
    """Drift in (m, d, Q, E, R, log D), divided by tau (same roots, O(1) scale)."""
    rho, eta, beta, lam, tau = args
    ov = y._replace(D=jnp.exp(y.D))
    dov = drift(ov, rho=rho, eta=eta, beta=beta, lam=lam, tau=tau)
    dov = dov._replace(D=dov.D / ov.D)
    return jax.tree_util.tree_map(lambda x: x / tau, dov)
