"""Replica (zero-temperature, RS) solution of the regularised linear beta-VAE trained on a
finite dataset of n = alpha N spiked-covariance samples, M = M* = 1.

The global minimiser of the training objective is rank one along the top eigenvector of
the sample covariance; eliminating the encoder and D leaves the 1-D equation for q of
:mod:`._qroot` with nu = lambda_max(Sigma_hat) and lam' = lam / alpha (spec Sec. 2.2).
In the high-dimensional limit the spectral inputs follow the BBP transition
(:func:`bbp_spectrum`); :func:`solution_from_spectrum` takes finite-N inputs instead.
Reference: Ichikawa & Hukushima, arXiv:2309.07663.
"""

from __future__ import annotations

from typing import NamedTuple

import jax
import jax.numpy as jnp

from ._qroot import safe_sqrt, solve_q

COLLAPSE, OVERLEARNING, LEARNING = 0, 1, 2
"""Phase labels returned by :func:`phase` (the paper's regularized / overlearning /
learning phases)."""


class Spectrum(NamedTuple):
    """Top eigenvalue ``nu`` of the sample covariance and the squared overlap ``o2`` of
    its eigenvector with the teacher direction W*/sqrt(N)."""

    nu: jnp.ndarray
    o2: jnp.ndarray


class ReplicaSolution(NamedTuple):
    """Order parameters and observables per input dimension (dimensionless; nats for
    rate and distortion). ``distortion_*`` omit the O(N) constant (N eta + rho)/2."""

    q: jnp.ndarray
    m: jnp.ndarray
    d: jnp.ndarray
    E: jnp.ndarray
    R: jnp.ndarray
    D: jnp.ndarray
    eps_g: jnp.ndarray
    rate_test: jnp.ndarray
    distortion_test: jnp.ndarray
    rate_train: jnp.ndarray
    distortion_train: jnp.ndarray


def alpha_c(rho, eta):
    """Detectability (BBP) threshold alpha_c = (eta/rho)^2 of the sample ratio n/N."""
    return (eta / rho) ** 2


@jax.jit
def bbp_spectrum(alpha, rho, eta) -> Spectrum:
    """High-dimensional top eigenpair of the sample covariance of n = alpha N samples.

    alpha > alpha_c: nu = (rho+eta)(1 + eta/(alpha rho)),
    o2 = (1 - eta^2/(alpha rho^2)) / (1 + eta/(alpha rho)); otherwise the bulk edge
    nu = eta (1 + alpha^-1/2)^2 and o2 = 0. Both branches are evaluated on safe inputs so
    gradients are finite on either side.
    """
    alpha = jnp.asarray(alpha, jnp.float64)
    above = alpha > alpha_c(rho, eta)
    a_hi = jnp.where(above, alpha, 2.0 * alpha_c(rho, eta) + 1.0)
    a_lo = jnp.where(above, 1.0, alpha)
    r = eta / (a_hi * rho)
    nu_hi = (rho + eta) * (1.0 + r)
    o2_hi = (1.0 - eta * r / rho) / (1.0 + r)
    nu_lo = eta * (1.0 + a_lo**-0.5) ** 2
    return Spectrum(nu=jnp.where(above, nu_hi, nu_lo), o2=jnp.where(above, o2_hi, 0.0))


@jax.jit
def solution_from_spectrum(nu, o2, *, rho, eta, beta, lam_eff) -> ReplicaSolution:
    """Closed-form minimiser given the spectral inputs (steps 2-8 of spec Sec. 2.2).

    ``nu``, ``o2``: top eigenvalue / squared teacher overlap (asymptotic or measured at
    finite N); ``rho``, ``eta``: data spike and noise; ``beta``: KL weight; ``lam_eff``:
    per-sample weight decay lam' (= lam / alpha for the summed objective).
    """
    q = solve_q(nu, beta, lam_eff)
    m = safe_sqrt(q * o2)
    kappa = nu / ((q + beta) * nu + lam_eff)
    D = beta / (beta + q)
    kl_const = D - jnp.log(D) - 1.0

    def rd(S):
        rate = 0.5 * (kappa**2 * S + kl_const)
        return rate, -kappa * S + 0.5 * q * (kappa**2 * S + D)

    rate_test, dist_test = rd(rho * m**2 + eta * q)
    rate_train, dist_train = rd(nu * q)
    return ReplicaSolution(
        q=q,
        m=m,
        d=kappa * m,
        E=kappa**2 * q,
        R=kappa * q,
        D=D,
        eps_g=rho - 2.0 * jnp.sqrt(rho) * m + q,
        rate_test=rate_test,
        distortion_test=dist_test,
        rate_train=rate_train,
        distortion_train=dist_train,
    )


@jax.jit
def replica_solution(alpha, *, rho, eta, beta, lam) -> ReplicaSolution:
    """Asymptotic solution at sample ratio ``alpha`` = n/N (broadcasts over all inputs).

    ``lam``: weight decay of the summed objective (lam/2)(||W||^2 + ||W~||^2); the
    per-sample value is lam' = lam/alpha. If your objective averages over samples,
    pass ``lam = lam_avg * alpha``.
    """
    spec = bbp_spectrum(alpha, rho, eta)
    return solution_from_spectrum(
        spec.nu, spec.o2, rho=rho, eta=eta, beta=beta, lam_eff=lam / alpha
    )


@jax.jit
def phase(alpha, *, rho, eta, beta, lam):
    """COLLAPSE (q = 0), OVERLEARNING (q > 0 but alpha <= alpha_c, m = 0) or LEARNING."""
    q = replica_solution(alpha, rho=rho, eta=eta, beta=beta, lam=lam).q
    above = jnp.asarray(alpha) > alpha_c(rho, eta)
    return jnp.where(q <= 0.0, COLLAPSE, jnp.where(above, LEARNING, OVERLEARNING))
