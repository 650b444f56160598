"""Collapse boundary, plateau edge and optimal beta of the finite-dataset linear VAE.

With nu(alpha) from :func:`bbp_spectrum` and lam' = lam/alpha, q = 0 loses stability
below beta_c(alpha) = nu/(1 + lam') - lam'/nu (spec Sec. 2.3). The plateau edge
alpha_PC(beta) is the smallest dataset size at which beta < beta_c(alpha), so that
epsilon_g(alpha) = rho (collapse) for every alpha below it. Reference: arXiv:2309.07663.
"""

from __future__ import annotations

import jax
import jax.numpy as jnp
import optimistix as optx

from ._qroot import q_equation
from ._replica import alpha_c, bbp_spectrum

_LOG_ALPHA = jnp.linspace(jnp.log(1e-6), jnp.log(1e8), 1401)


@jax.jit
def beta_c(alpha, rho, eta, lam):
    """Collapse boundary beta_c(alpha): collapse iff beta >= beta_c (dimensionless).

    Tends to rho + eta as alpha -> inf and to eta/lam - lam/eta as alpha -> 0.
    """
    nu = bbp_spectrum(alpha, rho, eta).nu
    lp = lam / alpha
    return nu / (1.0 + lp) - lp / nu


def _bisect(fn, lo, hi, ok, args):
    """Root of ``fn(x, args)`` in [lo, hi] where ``ok`` and the ends bracket a sign change;
    elsewhere a well-posed stand-in (x - 1/2 on [0, 1]) keeps the solver and its implicit
    gradient finite (callers mask the result)."""
    args = jax.tree_util.tree_map(lambda a: jnp.asarray(a, jnp.float64), args)
    ok = ok & (fn(lo, args) * fn(hi, args) <= 0.0)  # a bracket, or the stand-in
    lo, hi = jnp.where(ok, lo, 0.0), jnp.where(ok, hi, 1.0)

    def g(x, a):
        return jnp.where(a[0], fn(x, a[1]), x - 0.5)

    sol = optx.root_find(
        g,
        optx.Bisection(rtol=1e-12, atol=1e-12),
        0.5 * (lo + hi),
        args=(ok, args),
        options={"lower": lo, "upper": hi},
        max_steps=256,
        throw=False,
    )
    return sol.value


@jax.jit
def plateau_edge(beta, rho, eta, lam):
    """alpha_PC(beta): smallest n/N with a learned (non-collapsed) minimiser.

    0 when even alpha -> 0 learns (beta < eta/lam - lam/eta), inf when beta is above
    sup_alpha beta_c (inevitable collapse). The first crossing of beta_c(alpha) = beta is
    bracketed on a log grid (1e-6 .. 1e8) and refined by bisection in log alpha;
    differentiable in (beta, rho, eta, lam) by the implicit-function theorem.
    Scalar inputs (use ``jnp.vectorize`` for arrays).
    """
    g = beta_c(jnp.exp(_LOG_ALPHA), rho, eta, lam) - beta
    above = g > 0.0
    i = jnp.argmax(above)  # first grid point with beta < beta_c
    found = jnp.any(above)
    lo = _LOG_ALPHA[jnp.maximum(i - 1, 0)]
    hi = _LOG_ALPHA[jnp.maximum(i, 1)]
    ok = found & (i > 0)
    la = _bisect(lambda y, a: beta_c(jnp.exp(y), *a[1:]) - a[0], lo, hi, ok, (beta, rho, eta, lam))
    return jnp.where(ok, jnp.exp(la), jnp.where(found, 0.0, jnp.inf))


@jax.jit
def best_eps_g(alpha, rho, eta):
    """min over beta of epsilon_g = rho (1 - o2(alpha)) = eta (rho+eta)/(alpha rho + eta)
    above alpha_c; rho (collapse is best) below it."""
    return rho * (1.0 - bbp_spectrum(alpha, rho, eta).o2)


@jax.jit
def beta_opt(alpha, rho, eta, lam):
    """KL weight minimising the asymptotic epsilon_g at sample ratio ``alpha``.

    Above alpha_c the optimum has q = rho o2 (then m = rho o2 and epsilon_g =
    :func:`best_eps_g`); beta solves F(rho o2; nu, beta, lam') = 0 on (0, beta_c). Below
    alpha_c no beta beats collapse and beta_c (the smallest collapsing beta) is returned.
    Tends to eta as alpha -> inf. Scalar inputs.
    """
    spec = bbp_spectrum(alpha, rho, eta)
    lp = lam / alpha
    bc = beta_c(alpha, rho, eta, lam)
    learn = alpha > alpha_c(rho, eta)
    b = _bisect(
        lambda x, a: q_equation(a[0], a[1], x, a[2]), 1e-9, bc, learn, (rho * spec.o2, spec.nu, lp)
    )
    return jnp.where(learn, b, bc)


@jax.jit
def inevitable_collapse_beta(rho, eta, lam):
    """beta* = sup_alpha beta_c(alpha): above it collapse happens for every dataset size.

    Equals rho + eta (reached as alpha -> inf) when lam is large enough; smaller lam gives
    a larger value at finite alpha (sample-eigenvalue inflation). Grid maximum on
    alpha in [1e-6, 1e8] refined by golden-section search, together with the alpha -> inf
    limit. Returns (beta*, alpha at the maximum; inf for the limit).
    """
    g = beta_c(jnp.exp(_LOG_ALPHA), rho, eta, lam)
    i = jnp.clip(jnp.argmax(g), 1, _LOG_ALPHA.size - 2)
    a, b = _LOG_ALPHA[i - 1], _LOG_ALPHA[i + 1]
    f = lambda y: beta_c(jnp.exp(y), rho, eta, lam)  # noqa: E731
    r = 0.5 * (jnp.sqrt(5.0) - 1.0)

    def body(_, ab):
        a, b = ab
        c, d = b - r * (b - a), a + r * (b - a)
        return jax.lax.cond(f(c) > f(d), lambda: (a, d), lambda: (c, b))

    a, b = jax.lax.fori_loop(0, 80, body, (a, b))
    y = 0.5 * (a + b)
    limit = rho + eta
    interior = f(y) > limit
    return jnp.where(interior, f(y), limit), jnp.where(interior, jnp.exp(y), jnp.inf)
