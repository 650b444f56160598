"""The log evidence ``log Z = log p(data)`` (minus the Bayesian free energy) from a ladder.

Both estimators use the draws ``u`` of the integrand at every rung of the ladder
(``u = log L`` for a plain power posterior), ``d log Z_b / db = E_b[u]``:

* **Thermodynamic integration** (Ogata 1989; Friel & Pettitt 2008, JRSS B 70, 589):
  ``log Z = int_0^1 m(b) db`` with ``m(b) = E_b[u]``. Because ``m'(b) = Var_b[u] = v(b)``,
  the interpolant between rungs is the cubic Hermite polynomial through ``(m, v)``; its
  integral is the trapezoid rule with the Euler-Maclaurin correction
  ``-h^2/12 (v_{k+1} - v_k)`` (Friel, Hurn & Wyse 2014, Stat. Comput. 24, 709). Above the
  first positive rung the integral is taken in ``s = log b`` (integrand ``b m(b)``, slope
  ``b m + b^2 v``), where it is nearly linear for posteriors that sharpen like ``1/b``; the
  first interval ``[0, b_1]`` is integrated in ``b``. The discretisation error is estimated
  by the difference from the same rule applied in ``b`` everywhere (two fourth-order rules
  in different variables; their difference bounds the error of either, conservatively).
* **Stepping stone** (Xie, Lewis, Fan, Kuo & Chen 2011, Syst. Biol. 60, 150):
  ``log Z = sum_k log E_{b_k}[exp((b_{k+1} - b_k) u)]``, each ratio a log-mean-exp over the
  draws of rung k; unbiased in the ratio, no discretisation error.

Monte Carlo errors come from *blocks*: every independent run is cut into batches so that
there are at least :data:`MIN_BLOCKS` blocks; the error is the standard deviation of the
block estimates over ``sqrt(#blocks)`` (batch means across independent runs).
All values are in nats.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np
from scipy.special import logsumexp

MIN_BLOCKS = 8


class Estimate(NamedTuple):
    """``value +- err`` (nats); ``err**2 = mc_err**2 + disc_err**2``."""

    value: float
    err: float
    mc_err: float
    disc_err: float
    per_run: np.ndarray


def batches_per_run(runs: int, min_blocks: int = MIN_BLOCKS) -> int:
    return max(1, math.ceil(min_blocks / runs))


def blocks(u, runs: int):
    """Split ``u`` ``(R, N, K)`` into ``(R*B, N//B, K)`` contiguous batches."""
    r, n, k = u.shape
    nb = batches_per_run(runs)
    nb = max(1, min(nb, n // 2)) if n >= 2 else 1
    m = n // nb
    return u[:, : nb * m].reshape(r * nb, m, k)


def moments(u):
    """Mean and variance of the integrand per run and rung: ``(R, K)`` each."""
    return u.mean(axis=1), u.var(axis=1, ddof=1) if u.shape[1] > 1 else np.zeros(u.shape[::2])


def hermite_integral(x0, x1, f0, f1, d0, d1, t=1.0):
    """``int_{x0}^{x0 + t (x1 - x0)}`` of the cubic Hermite interpolant with values ``f``
    and slopes ``d`` at ``x0, x1`` (``0 <= t <= 1``)."""
    h = x1 - x0
    t2, t3, t4 = t * t, t**3, t**4
    return h * (
        (t - t3 + t4 / 2) * f0 + (t3 - t4 / 2) * f1
        + h * (t2 / 2 - 2 * t3 / 3 + t4 / 4) * d0 + h * (-t3 / 3 + t4 / 4) * d1
    )


def ti_log(betas, m, v):
    """Corrected TI, first interval in ``b`` and the rest in ``log b``; ``(R,)`` from
    ``(R, K)`` arrays."""
    first = hermite_integral(betas[:, 0], betas[:, 1], m[:, 0], m[:, 1], v[:, 0], v[:, 1])
    b = betas[:, 1:]
    s, f, d = np.log(b), b * m[:, 1:], b * m[:, 1:] + b * b * v[:, 1:]
    rest = hermite_integral(s[:, :-1], s[:, 1:], f[:, :-1], f[:, 1:], d[:, :-1], d[:, 1:])
    return first + rest.sum(axis=1)


def ti_linear(betas, m, v):
    """Corrected TI (trapezoid + Euler-Maclaurin) in ``b`` everywhere; ``(R,)``."""
    return hermite_integral(betas[:, :-1], betas[:, 1:], m[:, :-1], m[:, 1:], v[:, :-1],
                            v[:, 1:]).sum(axis=1)


def stepping_stone_runs(betas, u):
    """Stepping-stone log evidence of every run, ``(R,)``."""
    h = np.diff(betas, axis=1)  # (R, K-1)
    x = h[:, None, :] * u[:, :, :-1]
    return (logsumexp(x, axis=1) - np.log(u.shape[1])).sum(axis=1)


def _block_betas(betas, runs, n_blocks):
    return np.repeat(betas, n_blocks // runs, axis=0)


def _mc_err(per_block):
    n = per_block.shape[0]
    return float(np.std(per_block, ddof=1) / np.sqrt(n)) if n > 1 else float("nan")


def thermodynamic_integration(betas, u) -> Estimate:
    """TI estimate from the ladder ``betas`` ``(R, K)`` and draws ``u`` ``(R, N, K)``."""
    betas, u = np.asarray(betas), np.asarray(u)
    m, v = moments(u)
    runs = ti_log(betas, m, v)
    disc = float(np.mean(np.abs(runs - ti_linear(betas, m, v))))
    ub = blocks(u, betas.shape[0])
    bb = _block_betas(betas, betas.shape[0], ub.shape[0])
    per_block = ti_log(bb, *moments(ub))
    mc = _mc_err(per_block)
    return Estimate(float(runs.mean()), float(np.hypot(mc, disc)), mc, disc, runs)


def stepping_stone(betas, u) -> Estimate:
    """Stepping-stone estimate from ``betas`` ``(R, K)`` and ``u`` ``(R, N, K)``."""
    betas, u = np.asarray(betas), np.asarray(u)
    runs = stepping_stone_runs(betas, u)
    ub = blocks(u, betas.shape[0])
    per_block = stepping_stone_runs(_block_betas(betas, betas.shape[0], ub.shape[0]), ub)
    mc = _mc_err(per_block)
    return Estimate(float(runs.mean()), mc, mc, 0.0, runs)


def cumulative_ti(betas, m, v, b_eval):
    """``log Z_b - log Z_0 = int_0^b m`` at every ``b_eval`` for one run (1-D arrays),
    with the interpolant of :func:`ti_log` (consistent with it at ``b = 1``)."""
    betas, m, v, b_eval = map(np.asarray, (betas, m, v, b_eval))
    out = np.empty(b_eval.shape)
    b1 = betas[1]
    first_full = hermite_integral(0.0, b1, m[0], m[1], v[0], v[1])
    low = b_eval <= b1
    out[low] = hermite_integral(0.0, b1, m[0], m[1], v[0], v[1], b_eval[low] / b1)
    b = betas[1:]
    s, f, d = np.log(b), b * m[1:], b * m[1:] + b * b * v[1:]
    seg = hermite_integral(s[:-1], s[1:], f[:-1], f[1:], d[:-1], d[1:])
    cum = np.concatenate([[0.0], np.cumsum(seg)])
    se = np.log(b_eval[~low])
    i = np.clip(np.searchsorted(s, se, side="right") - 1, 0, len(s) - 2)
    t = np.clip((se - s[i]) / (s[i + 1] - s[i]), 0.0, 1.0)
    part = hermite_integral(s[i], s[i + 1], f[i], f[i + 1], d[i], d[i + 1], t)
    out[~low] = first_full + cum[i] + part
    return out
