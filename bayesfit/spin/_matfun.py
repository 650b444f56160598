"""Thermal moments ``e_0^T x^k exp(-beta x) e_0`` of a Lanczos tridiagonal, with exact JVPs.

For the tridiagonal ``T`` of a Lanczos run from ``|r>`` and ``x = T - s``,
``q_k(beta) = e_0^T x^k exp(-beta x) e_0`` (k = 0, 1, 2) is the Krylov approximation of
``<r|(H - s)^k exp(-beta (H - s))|r>``: the FTLM sum over Ritz pairs (Jaklic and
Prelovsek 1994). Plain autodiff through ``eigh`` would differentiate every Ritz vector
with factors ``1/(eps_j - eps_l)``, and plain Lanczos makes "ghost" copies of converged
Ritz values, equal to rounding: the gradient would be NaN or noise. The JVP here is the
Daleckii-Krein formula ``dq = sum_jl u_j u_l F[eps_j, eps_l] (U^T dT U)_jl`` with the
divided differences ``F[a, b]`` of ``F(x) = x^k exp(-beta x)``, which are continuous
(``F'`` on the diagonal), so degenerate and ghost Ritz values are harmless. Shift ``s``,
temperatures: K; ``beta``: 1/K.
"""

from __future__ import annotations

import jax
import jax.numpy as jnp

from ._lanczos import Tridiagonal, tridiagonal_matrix


def _moments(x, weight, betas):
    e = jnp.exp(-betas[:, None] * x[None, :])  # x >= -rounding: no overflow
    return jnp.stack([e @ weight, e @ (weight * x), e @ (weight * x * x)], axis=-1)


@jax.custom_jvp
def thermal_moments(alpha, beta, shift, betas):
    """``(len(betas), 3)`` array of ``q_0, q_1, q_2`` (module docstring); no gradient in
    ``betas`` (temperatures are data)."""
    w, u = jnp.linalg.eigh(tridiagonal_matrix(Tridiagonal(alpha, beta)))
    return _moments(w - shift, u[0] ** 2, betas)


def _divided_exp(a, b, beta):
    """``(exp(-beta a) - exp(-beta b)) / (a - b)``, continuous at ``a = b``."""
    lo = jnp.minimum(a, b)
    d = jnp.abs(a - b)
    bd = beta * d
    ratio = jnp.where(bd > 1e-300, jnp.expm1(-bd) / jnp.where(bd > 1e-300, d, 1.0), -beta)
    return jnp.exp(-beta * lo) * ratio


@thermal_moments.defjvp
def _thermal_moments_jvp(primals, tangents):
    alpha, beta, shift, betas = primals
    d_alpha, d_beta, d_shift, _ = tangents
    w, u = jnp.linalg.eigh(tridiagonal_matrix(Tridiagonal(alpha, beta)))
    x = w - shift
    u0 = u[0]
    out = _moments(x, u0**2, betas)
    g = u.T @ tridiagonal_matrix(Tridiagonal(d_alpha, d_beta)) @ u
    p = u0[:, None] * u0[None, :] * g  # (m, m)
    xa, xb = x[:, None], x[None, :]

    def one(bt):  # one temperature: divided differences of x^k exp(-bt x)
        h = _divided_exp(xa, xb, bt)
        hb = jnp.exp(-bt * xb)
        d0 = h
        d1 = hb + xa * h
        d2 = (xa + xb) * hb + xa * xa * h
        return jnp.stack([jnp.sum(p * d0), jnp.sum(p * d1), jnp.sum(p * d2)])

    dq = jax.lax.map(one, betas, batch_size=8)
    # d/ds of x^k exp(-beta x) = -(k x^{k-1} - beta x^k) exp(-beta x)
    e = jnp.exp(-betas[:, None] * x[None, :]) * (u0**2)[None, :]
    bcol = betas[:, None]
    ds = jnp.stack(
        [
            jnp.sum(e * bcol, -1),
            jnp.sum(e * (-1.0 + bcol * x), -1),
            jnp.sum(e * (-2.0 * x + bcol * x * x), -1),
        ],
        axis=-1,
    )
    return out, dq + ds * d_shift
