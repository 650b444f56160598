"""The Bayesian free energy ``F(sigma) = -log p(data | sigma)`` of Gaussian noise levels.

Tamura, Hukushima, Matsuo, Kindo & Hase (2020), PRB 101, 224435 (following Nagata &
Watanabe's exchange-MC free-energy estimates): for Gaussian noise with level ``sigma``,
the likelihood at ``sigma = sigma_0 / sqrt(b)`` is the power ``b`` of the likelihood at a
reference ``sigma_0``, up to a normalisation. Exactly, for ``n`` points,

    log L_sigma(theta) = b log L_sigma0(theta) - (1 - b) C + (n / 2) log b,
    C = n log sigma_0 + (n / 2) log(2 pi),

so ``F(sigma) = -[log Z_b - (1 - b) C + (n / 2) log b]`` where ``log Z_b`` (the log
normaliser of the power posterior at ``b``) is the thermodynamic integral of
``E_b[log L_sigma0]`` from 0 to ``b``: one ladder gives ``F`` for every ``sigma >= sigma_0``.
(``log Z_b`` comes from :func:`cumulative_ti`, the interpolant of the TI estimator.)
``F`` is a function of ``sigma`` alone: the prior of ``sigma`` is not part of it, and
``sigma_hat = argmin F`` is the type-II maximum-likelihood (empirical Bayes) noise level.
At the minimum ``sigma_hat**2 = E[sum of squared residuals] / n`` under the posterior at
``sigma_hat``. Values in nats; ``sigma`` in the units of the data.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np

from ._evidence import block_error, blocks, cumulative_ti, stepping_stone_runs

GRID = 241


class NoiseCurve(NamedTuple):
    """``F`` on a grid of ``b`` (``sigma = sigma_0 / sqrt(b)`` for each dataset)."""

    b: np.ndarray  # (G,) decreasing from 1
    F: np.ndarray  # (G,) nats, mean over runs
    F_err: np.ndarray  # (G,) block standard error
    b_hat: float  # argmin of F
    b_hat_blocks: np.ndarray  # argmins of the block curves
    at_edge: bool  # minimum at b = 1 (sigma_0 too large) or at the smallest b


def free_energy(betas, u, n: float, C: float, b_eval, log_z1=None):
    """``F`` at ``b_eval`` for one run: ladder ``betas`` ``(K,)``, draws ``u`` ``(N, K)`` of
    ``u = log L_sigma0``, ``n`` points and ``C = n log sigma_0 + n/2 log 2 pi``.

    ``log_z1``: the log evidence at ``b = 1`` from elsewhere (the reference leg); then
    ``log Z_b = log_z1 - int_b^1 m`` (the ladder need not start at the prior), else
    ``log Z_b = int_0^b m`` from a ladder that starts at ``b = 0``."""
    b_eval = np.asarray(b_eval, dtype=float)
    log_zb = cumulative_ti(betas, u, b_eval)
    if log_z1 is not None:
        log_zb = log_z1 - (cumulative_ti(betas, u, np.ones(1))[0] - log_zb)
    return -(log_zb - (1.0 - b_eval) * C + 0.5 * n * np.log(b_eval))


def _argmin_refined(b, F):
    """Minimum of ``F`` over the grid refined by a parabola in ``log b``."""
    i = int(np.nanargmin(F))
    if i == 0 or i == len(F) - 1:
        return float(b[i])
    x = np.log(b[i - 1:i + 2])
    c2, c1, _ = np.polyfit(x - x[1], F[i - 1:i + 2], 2)
    if c2 <= 0:
        return float(b[i])
    return float(np.exp(x[1] + np.clip(-c1 / (2 * c2), x[2] - x[1], x[0] - x[1])))


def noise_curve(betas, u, n: float, C: float, grid: int = GRID,
                reference=None) -> NoiseCurve:
    """``F(b)`` from a ladder (``betas`` ``(R, K)``, ``u`` ``(R, N, K)``).

    The grid runs from ``b = 1`` down to the largest first positive rung of the runs.
    ``reference``: ``(betas, u)`` of the run's reference leg, whose stepping-stone evidence
    (per run and per block) anchors ``F`` at ``b = 1``.
    """
    betas, u = np.asarray(betas), np.asarray(u)
    R = betas.shape[0]
    b_lo = float(np.max(betas[:, 1] if betas[0, 0] == 0 else betas[:, 0]))
    b = np.exp(np.linspace(0.0, math.log(b_lo), grid))
    ub = blocks(u, R)
    nb = ub.shape[0] // R
    z1_run = z1_block = [None] * ub.shape[0]
    if reference is not None:
        rb, ru = np.asarray(reference[0]), np.asarray(reference[1])
        z1_run = stepping_stone_runs(rb, ru)
        z1_block = stepping_stone_runs(np.repeat(rb, nb, axis=0), blocks(ru, R))
    per_run = np.stack([free_energy(betas[r], u[r], n, C, b, z1_run[r]) for r in range(R)])
    per_block = np.stack([free_energy(betas[j // nb], ub[j], n, C, b, z1_block[j])
                          for j in range(ub.shape[0])])
    F = per_run.mean(axis=0)
    F_err = block_error(per_block) if per_block.shape[0] > 1 else np.zeros_like(F)
    i = int(np.nanargmin(F))
    return NoiseCurve(b, F, F_err, _argmin_refined(b, F),
                      np.array([_argmin_refined(b, f) for f in per_block]),
                      at_edge=i == 0 or i == len(F) - 1)
