"""The log evidence ``log Z = log p(data)`` (minus the Bayesian free energy) from a ladder.

Both estimators use the draws ``u`` of the integrand at every rung of the ladder
(``u = log L`` for a plain power posterior), ``d log Z_b / db = E_b[u]``:

* **Thermodynamic integration** (Ogata 1989; Friel & Pettitt 2008, JRSS B 70, 589):
  ``log Z = int_0^1 m(b) db`` with ``m(b) = E_b[u]``. Because ``m'(b) = Var_b[u] = v(b)``,
  the interpolant between rungs is the cubic Hermite polynomial through ``(m, v)``; its
  integral is the trapezoid rule with the Euler-Maclaurin correction
  ``-h^2/12 (v_{k+1} - v_k)`` (Friel, Hurn & Wyse 2014, Stat. Comput. 24, 709). On
  ``[b_1, 1]`` the integral is taken in ``s = log b`` (integrand ``b m(b)``, slope
  ``b m + b^2 v``), where it is nearly linear for posteriors that sharpen like ``1/b``.
  On the first interval ``[0, b_1]`` ``m`` climbs over orders of magnitude (from the prior
  mean of the log likelihood) and no polynomial interpolates it; there the integral is the
  cumulant generating function of ``u`` under the reference, ``log E_0[exp(b_1 u)]``,
  which is exact and estimated from the draws at ``b = 0`` (the same first stone as the
  stepping-stone estimator). The discretisation error is estimated with an embedded
  pair, as in Runge-Kutta-Fehlberg: the difference from the quintic Hermite rule
  ``h (f_0 + f_1)/2 + h^2 (f'_0 - f'_1)/10 + h^3 (f''_0 + f''_1)/120`` that also uses
  ``f'' = b m + 3 b^2 v + b^3 k3`` (``k3`` the third cumulant of ``u``, ``= v'(b)``).
* **Stepping stone** (Xie, Lewis, Fan, Kuo & Chen 2011, Syst. Biol. 60, 150):
  ``log Z = sum_k log E_{b_k}[exp((b_{k+1} - b_k) u)]``, each ratio a log-mean-exp over the
  draws of rung k; unbiased in the ratio, no discretisation error.

Monte Carlo errors come from *blocks*: with 4 or more independent runs a block is a run;
with fewer, every run is cut into batches so that there are at least :data:`MIN_BLOCKS`
blocks. Runs are the honest unit: every run adapts its own ladder, and that variation is
invisible to batches within a run (batches are a fallback that can be optimistic). The
error is the standard deviation of the block estimates over ``sqrt(#blocks)``, times the
Student-t factor ``t_{n-1}(0.841)`` so that ``+-err`` stays a 68 % interval with few blocks.
All values are in nats.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np
from scipy.special import logsumexp
from scipy.stats import t as student_t

MIN_BLOCKS = 8


class Estimate(NamedTuple):
    """``value +- err`` (nats); ``err**2 = mc_err**2 + disc_err**2``."""

    value: float
    err: float
    mc_err: float
    disc_err: float
    per_run: np.ndarray


MIN_RUNS = 4


def batches_per_run(runs: int, min_blocks: int = MIN_BLOCKS) -> int:
    """1 (a block is a run) with :data:`MIN_RUNS` runs or more, else enough batches."""
    return 1 if runs >= MIN_RUNS else max(1, math.ceil(min_blocks / runs))


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


def third_cumulant(u):
    """Third central moment of the integrand per run and rung, ``(R, K)``."""
    d = u - u.mean(axis=1, keepdims=True)
    return np.mean(d**3, axis=1)


def hermite_integral(x0, x1, f0, f1, d0, d1, t=1.0):
    """``int_{x0}^{x0 + t (x1 - x0)}`` of the cubic Hermite interpolant with values ``f``
    and slopes ``d`` at ``x0, x1`` (``0 <= t <= 1``)."""
    h = x1 - x0
    t2, t3, t4 = t * t, t**3, t**4
    return h * (
        (t - t3 + t4 / 2) * f0 + (t3 - t4 / 2) * f1
        + h * (t2 / 2 - 2 * t3 / 3 + t4 / 4) * d0 + h * (-t3 / 3 + t4 / 4) * d1
    )


def first_interval(betas, u):
    """``int_0^{b_1} m = log E_0[exp(b_1 u)]`` per run, from the draws at ``b = 0``."""
    return logsumexp(betas[:, 1:2] * u[:, :, 0], axis=1) - np.log(u.shape[1])


def ti_log(betas, m, v):
    """Corrected TI on ``[b_1, 1]`` in ``log b``; ``(R,)`` from ``(R, K)`` arrays."""
    b = betas[:, 1:]
    s, f, d = np.log(b), b * m[:, 1:], b * m[:, 1:] + b * b * v[:, 1:]
    return hermite_integral(s[:, :-1], s[:, 1:], f[:, :-1], f[:, 1:], d[:, :-1],
                            d[:, 1:]).sum(axis=1)


def ti_quintic(betas, m, v, k3):
    """Quintic-Hermite TI on ``[b_1, 1]`` in ``log b`` (the embedded error estimate)."""
    b = betas[:, 1:]
    s, f = np.log(b), b * m[:, 1:]
    d = f + b * b * v[:, 1:]
    dd = f + 3 * b * b * v[:, 1:] + b**3 * k3[:, 1:]
    h = np.diff(s, axis=1)
    return (h * (f[:, 1:] + f[:, :-1]) / 2 + h**2 * (d[:, :-1] - d[:, 1:]) / 10
            + h**3 * (dd[:, :-1] + dd[:, 1:]) / 120).sum(axis=1)


def ti_linear(betas, m, v):
    """Corrected TI (trapezoid + Euler-Maclaurin) in ``b`` on ``[b_1, 1]``; ``(R,)``."""
    b, m, v = betas[:, 1:], m[:, 1:], v[:, 1:]
    return hermite_integral(b[:, :-1], b[:, 1:], m[:, :-1], m[:, 1:], v[:, :-1],
                            v[:, 1:]).sum(axis=1)


def stepping_stone_runs(betas, u):
    """Stepping-stone log evidence of every run, ``(R,)``."""
    h = np.diff(betas, axis=1)  # (R, K-1)
    x = h[:, None, :] * u[:, :, :-1]
    return (logsumexp(x, axis=1) - np.log(u.shape[1])).sum(axis=1)


def _block_betas(betas, runs, n_blocks):
    return np.repeat(betas, n_blocks // runs, axis=0)


def block_error(per_block, axis: int = 0):
    """Standard error of the mean of block estimates, Student-t corrected (68 %)."""
    n = per_block.shape[axis]
    if n < 2:
        return np.full(np.delete(per_block.shape, axis), np.nan) if per_block.ndim > 1 \
            else float("nan")
    se = np.std(per_block, axis=axis, ddof=1) / np.sqrt(n) * student_t.ppf(0.8413, n - 1)
    return se if per_block.ndim > 1 else float(se)


def thermodynamic_integration(betas, u) -> Estimate:
    """TI estimate from the ladder ``betas`` ``(R, K)`` and draws ``u`` ``(R, N, K)``."""
    betas, u = np.asarray(betas), np.asarray(u)
    m, v = moments(u)
    rest = ti_log(betas, m, v)
    disc = float(np.abs(np.mean(rest - ti_quintic(betas, m, v, third_cumulant(u)))))
    runs = first_interval(betas, u) + rest
    ub = blocks(u, betas.shape[0])
    bb = _block_betas(betas, betas.shape[0], ub.shape[0])
    per_block = first_interval(bb, ub) + ti_log(bb, *moments(ub))
    mc = block_error(per_block)
    return Estimate(float(runs.mean()), float(np.hypot(mc, disc)), mc, disc, runs)


def stepping_stone(betas, u) -> Estimate:
    """Stepping-stone estimate from ``betas`` ``(R, K)`` and ``u`` ``(R, N, K)``."""
    betas, u = np.asarray(betas), np.asarray(u)
    runs = stepping_stone_runs(betas, u)
    ub = blocks(u, betas.shape[0])
    per_block = stepping_stone_runs(_block_betas(betas, betas.shape[0], ub.shape[0]), ub)
    mc = block_error(per_block)
    return Estimate(float(runs.mean()), mc, mc, 0.0, runs)


def cumulative_ti(betas, u, b_eval):
    """``log Z_b - log Z_0 = int_0^b m`` at every ``b_eval`` for one run (``betas`` ``(K,)``,
    ``u`` ``(N, K)``), consistent with :func:`thermodynamic_integration` at ``b = 1``.
    A ladder that starts at ``b_0 > 0`` gives ``int_{b_0}^b m`` (NaN below ``b_0``)."""
    betas, u, b_eval = map(np.asarray, (betas, u, b_eval))
    m, v = moments(u[None])
    m, v = m[0], v[0]
    out = np.empty(b_eval.shape)
    if betas[0] > 0:  # no prior end: the integral starts at the first rung
        betas, u, m, v = (np.concatenate([[0.0], betas]), np.concatenate([u[:, :1], u], 1),
                          np.concatenate([m[:1], m]), np.concatenate([v[:1], v]))
        b1 = betas[1]
        low = b_eval <= b1
        out[low] = np.where(b_eval[low] < b1, np.nan, 0.0)
        cgf = lambda b: np.zeros(np.shape(b))  # noqa: E731
    else:
        b1 = betas[1]
        low = b_eval <= b1
        cgf = lambda b: logsumexp(np.multiply.outer(b, u[:, 0]), axis=-1) - np.log(len(u))  # noqa: E731
        out[low] = cgf(b_eval[low])
    b = betas[1:]
    s, f, d = np.log(b), b * m[1:], b * m[1:] + b * b * v[1:]
    seg = hermite_integral(s[:-1], s[1:], f[:-1], f[1:], d[:-1], d[1:])
    cum = np.concatenate([[0.0], np.cumsum(seg)])
    se = np.log(b_eval[~low])
    i = np.clip(np.searchsorted(s, se, side="right") - 1, 0, len(s) - 2)
    t = np.clip((se - s[i]) / (s[i + 1] - s[i]), 0.0, 1.0)
    part = hermite_integral(s[i], s[i + 1], f[i], f[i + 1], d[i], d[i + 1], t)
    out[~low] = cgf(np.array([b1]))[0] + cum[i] + part
    return out
