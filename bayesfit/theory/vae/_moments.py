"""Second moments of the local fields and the per-sample loss terms of the linear VAE.

Local fields of one input x = W* P^(1/2) c / sqrt(N) + sqrt(eta) n: the decoder field
a = W^T x / sqrt(N), the encoder mean mu = W~ x / sqrt(N) and the teacher field
nu = W*^T x / sqrt(N). Their covariances in terms of the overlaps (spec Sec. 1.4):

    C_mumu = d P d^T + eta E      C_amu = m P d^T + eta R     C_aa = m P m^T + eta Q
    C_munu = d (P + eta I)        C_anu = m (P + eta I)

All functions broadcast over leading axes of the overlaps (e.g. a time axis).
Reference: arXiv:2310.15440.
"""

from __future__ import annotations

from typing import NamedTuple

import jax.numpy as jnp

from ._overlaps import Overlaps
from ._small import mm, t


class FieldMoments(NamedTuple):
    mumu: jnp.ndarray  # (..., M, M)
    amu: jnp.ndarray  # (..., M, M), E[a mu^T]
    aa: jnp.ndarray  # (..., M, M)
    munu: jnp.ndarray  # (..., M, M*)
    anu: jnp.ndarray  # (..., M, M*)


def field_moments(ov: Overlaps, rho, eta) -> FieldMoments:
    """Covariances of (a, mu, nu); ``rho`` scalar or (M*,), ``eta`` noise variance."""
    M_star = ov.m.shape[-1]
    p = jnp.broadcast_to(jnp.asarray(rho, jnp.float64), (M_star,))
    return FieldMoments(
        mumu=mm(ov.d * p, t(ov.d)) + eta * ov.E,
        amu=mm(ov.m * p, t(ov.d)) + eta * ov.R,
        aa=mm(ov.m * p, t(ov.m)) + eta * ov.Q,
        munu=ov.d * (p + eta),
        anu=ov.m * (p + eta),
    )


def kl_term(ov: Overlaps, rho, eta):
    """Expected KL(q(z|x) || N(0, I)) per sample, 1/2 sum_k [C_mumu,kk + D_k - log D_k - 1]
    (nats; the beta = 1 weight, i.e. the *rate*)."""
    c = field_moments(ov, rho, eta)
    diag = jnp.diagonal(c.mumu, axis1=-2, axis2=-1)
    return 0.5 * jnp.sum(diag + ov.D - jnp.log(ov.D) - 1.0, axis=-1)


def reconstruction_term(ov: Overlaps, rho, eta, *, N=None):
    """Expected reconstruction term per sample, E_q ||x - W z / sqrt(N)||^2 / 2.

    Without ``N`` the x-only constant ||x||^2/2 is dropped (as the authors' code does):
    ``-tr C_amu + tr(Q C_mumu)/2 + tr(Q D)/2``. With ``N`` (input dimension) its mean
    ``(N eta + tr P)/2`` is added, giving the value a training log would show. Nats.
    """
    c = field_moments(ov, rho, eta)
    tr = lambda x: jnp.trace(x, axis1=-2, axis2=-1)  # noqa: E731
    qd = jnp.sum(jnp.diagonal(ov.Q, axis1=-2, axis2=-1) * ov.D, axis=-1)
    val = -tr(c.amu) + 0.5 * tr(mm(ov.Q, c.mumu)) + 0.5 * qd
    if N is not None:
        M_star = ov.m.shape[-1]
        trp = jnp.sum(jnp.broadcast_to(jnp.asarray(rho, jnp.float64), (M_star,)))
        val = val + 0.5 * (N * eta + trp)
    return val
