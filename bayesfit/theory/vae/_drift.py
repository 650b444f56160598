"""Right-hand side of the order-parameter ODE of one-pass SGD on the linear beta-VAE.

SGD with learning rate tau on W and W~ and tau/N on D, one fresh sample per step, in
the time t = step/N (spec Sec. 1.4, derived for this project and checked against a
Monte-Carlo one-step average). With the error signal g = dl/dmu = -a + K mu, K = Q + beta I,
and A = C_mumu + diag(D) + lam I::

    dm/dt = tau [C_munu - A m]
    dd/dt = tau [C_anu - K C_munu - lam d]
    dQ/dt = tau [C_amu + C_amu^T - A Q - Q A]     + tau^2 eta C_mumu
    dE/dt = -tau [C_gmu + C_gmu^T + 2 lam E]      + tau^2 eta C_gg
    dR/dt = tau [C_mumu - A R - C_ag - lam R]     - tau^2 eta C_mug
    dD_k/dt = -(tau/2) [Q_kk + beta (1 - 1/D_k)]

The tau^2 terms (from ||x||^2/N -> eta) are the SGD noise: they shift the fixed point
by O(tau) and keep the Gram matrix of (W*, W, W~^T) positive definite.
Reference: arXiv:2310.15440.
"""

from __future__ import annotations

import jax.numpy as jnp

from ._moments import field_moments
from ._overlaps import Overlaps
from ._small import diag, diagonal, mm, t


def drift(ov: Overlaps, *, rho, eta, beta, lam, tau) -> Overlaps:
    """d(overlaps)/dt at one state (no batch axes).

    ``rho``: signal strengths (scalar or (M*,)); ``eta``: noise variance; ``beta``: KL
    weight at this time; ``lam``: weight decay; ``tau``: learning rate (all dimensionless).
    """
    M = ov.Q.shape[-1]
    eye = jnp.eye(M)
    c = field_moments(ov, rho, eta)
    K = ov.Q + beta * eye
    A = c.mumu + diag(ov.D) + lam * eye
    c_gmu = -c.amu + mm(K, c.mumu)
    c_gg = c.aa - mm(c.amu, K) - mm(K, t(c.amu)) + mm(mm(K, c.mumu), K)
    c_ag = -c.aa + mm(c.amu, K)
    tau2 = tau * tau * eta
    return Overlaps(
        m=tau * (c.munu - mm(A, ov.m)),
        d=tau * (c.anu - mm(K, c.munu) - lam * ov.d),
        Q=tau * (c.amu + t(c.amu) - mm(A, ov.Q) - mm(ov.Q, A)) + tau2 * c.mumu,
        E=-tau * (c_gmu + t(c_gmu) + 2.0 * lam * ov.E) + tau2 * c_gg,
        R=tau * (c.mumu - mm(A, ov.R) - c_ag - lam * ov.R) - tau2 * t(c_gmu),
        D=-0.5 * tau * (diagonal(ov.Q) + beta * (1.0 - 1.0 / ov.D)),
    )
