"""Coordinates in which the order-parameter ODE is integrated.

Why: at the learned fixed point the Gram matrix G of (W*, W, W~^T) is nearly singular
(W~^T ~ W (Q + beta)^-1; at tau -> 0 the residual part is exactly zero), and only the
O(tau^2) SGD-noise terms keep it positive definite. Integrating (m, d, Q, E, R)
directly, the truncation error of any integrator eventually pushes G out of the PSD
cone for M >= 2 (the spec saw LSODA, Radau and DOP853 blow up at t ~ 10^3), after which
the flow diverges. :class:`LogCholesky` integrates a log-Cholesky factor of the
Schur complement of G instead, so every state it can reach is a valid Gram matrix.
See ``bayesfit/theory/README.md``.

Both coordinate systems integrate log D (D > 0 by construction).
"""

from __future__ import annotations

from typing import NamedTuple

import equinox as eqx
import jax.numpy as jnp

from ._overlaps import Overlaps
from ._small import diag, diagonal, mm


class Direct(eqx.Module):
    """Integrate (m, d, Q, E, R, log D) as they are. Fast; fine for M = 1."""

    def to_state(self, ov: Overlaps) -> Overlaps:
        return ov._replace(D=jnp.log(ov.D))

    def to_overlaps(self, y: Overlaps) -> Overlaps:
        return y._replace(D=jnp.exp(y.D))

    def vector_field(self, y: Overlaps, ov: Overlaps, dov: Overlaps) -> Overlaps:
        return dov._replace(D=dov.D / ov.D)


class CholeskyState(NamedTuple):
    m: jnp.ndarray  # (M, M*)
    d: jnp.ndarray  # (M, M*)
    theta: jnp.ndarray  # (2M, 2M) lower-triangular, log on the diagonal
    log_D: jnp.ndarray  # (M,)


def _factor(theta):
    return jnp.tril(theta, -1) + diag(jnp.exp(diagonal(theta)))


def _tril_inverse(C):
    """Inverse of a small lower-triangular matrix by the finite Neumann series.

    C = G (I + N) with G = diag(C) and N strictly lower (nilpotent), so
    (I + N)^-1 = I - N + N^2 - ... (n terms). A handful of tiny matmuls, which XLA fuses
    into the ODE step; a LAPACK triangular solve per step is ~30x slower on CPU here.
    """
    n = C.shape[0]
    g = diagonal(C)
    N = jnp.tril(C, -1) / g[:, None]
    eye = jnp.eye(n)
    P = eye
    for _ in range(n - 1):
        P = eye - mm(N, P)
    return P / g[None, :]


class LogCholesky(eqx.Module):
    """Integrate (m, d, log-Cholesky factor of S, log D) with
    S = [[Q, R], [R^T, E]] - [m; d][m; d]^T, the Schur complement of G on the teacher block.

    With S = C C^T the flow dS/dt = F is carried by dC/dt = C Phi(C^-1 F C^-T), Phi taking
    the strictly lower part plus half the diagonal; d(log C_ii)/dt = Phi_ii. S stays
    positive definite for every state, so G stays PSD whatever the step error.
    """

    def to_state(self, ov: Overlaps) -> CholeskyState:
        U = jnp.concatenate([ov.m, ov.d], axis=0)
        B = jnp.block([[ov.Q, ov.R], [ov.R.T, ov.E]]) - U @ U.T
        C = jnp.linalg.cholesky(0.5 * (B + B.T))
        C = eqx.error_if(
            C,
            ~jnp.all(jnp.isfinite(C)),
            "initial overlaps are not a positive-definite Gram matrix of (W*, W, W~^T): "
            "need [[Q, R], [R^T, E]] - [m; d][m; d]^T > 0 (e.g. |m0| < 1 with Q0 = E0 = 1).",
        )
        theta = jnp.tril(C, -1) + jnp.diag(jnp.log(jnp.diagonal(C)))
        return CholeskyState(ov.m, ov.d, theta, jnp.log(ov.D))

    def to_overlaps(self, y: CholeskyState) -> Overlaps:
        M = y.m.shape[0]
        C = _factor(y.theta)
        U = jnp.concatenate([y.m, y.d], axis=0)
        B = mm(C, C.T) + mm(U, U.T)
        return Overlaps(m=y.m, d=y.d, Q=B[:M, :M], E=B[M:, M:], R=B[:M, M:], D=jnp.exp(y.log_D))

    def vector_field(self, y: CholeskyState, ov: Overlaps, dov: Overlaps) -> CholeskyState:
        C = _factor(y.theta)
        U = jnp.concatenate([y.m, y.d], axis=0)
        dU = jnp.concatenate([dov.m, dov.d], axis=0)
        dB = jnp.block([[dov.Q, dov.R], [dov.R.T, dov.E]]) - mm(dU, U.T) - mm(U, dU.T)
        dB = 0.5 * (dB + dB.T)
        Ci = _tril_inverse(C)
        X = mm(mm(Ci, dB), Ci.T)
        Phi = jnp.tril(X, -1) + 0.5 * diag(diagonal(X))
        dC = mm(C, Phi)
        dtheta = jnp.tril(dC, -1) + diag(diagonal(Phi))
        return CholeskyState(dov.m, dov.d, dtheta, dov.D / ov.D)
