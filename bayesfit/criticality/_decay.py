"""Power law or exponential? A small decay-model comparison for one correlation curve.

The sweep asks a callable ``compare(r, curve, cov) -> DecayComparison`` for the
probability that |C(r)| decays as a power law rather than exponentially. The default,
:func:`compare_decay`, is deliberately small: generalised least squares on
``log |C(r)|`` over the lags where the signal exceeds ``k`` bootstrap standard errors,
covariance of log C by the delta method (shrunk toward its diagonal), both models with
two parameters, so equal priors give ``P(power) = 1 / (1 + exp(-(chi2_exp - chi2_pow)/2))``
(the BIC / Laplace approximation with equal parameter counts).

:func:`evidence_decay` is the full Bayesian alternative: the same lags and covariance of
``log |C|``, fitted by :func:`bayesfit.sequences.compare_decay` (correlated Gaussian
likelihood, REMC log evidence of each model), ``P(power) = 1 / (1 + exp(-ln BF))``. It
costs two REMC fits per temperature; pass it as ``compare=evidence_decay(...)``.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np


class DecayComparison(NamedTuple):
    """``p_power``: P(power law | curve); ``xi`` (lags) from the exponential fit;
    ``alpha`` from the power-law fit; ``n_lags`` used. NaN when < 3 lags carry signal."""

    p_power: float
    xi: float
    alpha: float
    n_lags: int


def _gls(design, y, cov_inv):
    a = design.T @ cov_inv @ design
    beta = np.linalg.solve(a, design.T @ cov_inv @ y)
    resid = y - design @ beta
    return beta, float(resid @ cov_inv @ resid)


def _log_data(r, curve, cov, k: float, shrink: float):
    """Lags up to the first whose |C| is within ``k`` standard errors of 0, ``log |C|``
    there and its covariance (delta method, shrunk toward its diagonal)."""
    r = np.asarray(r, dtype=float)
    c = np.abs(np.asarray(curve, dtype=float))
    se = np.sqrt(np.clip(np.diag(np.asarray(cov)), 1e-300, None))
    weak = np.flatnonzero(c <= k * se)
    stop = int(weak[0]) if weak.size else c.size
    r, c, cv = r[:stop], c[:stop], np.asarray(cov)[:stop, :stop]
    cov_log = cv / np.outer(c, c)
    cov_log = (1 - shrink) * cov_log + shrink * np.diag(np.diag(cov_log))
    return r, np.log(c), cov_log


def compare_decay(r, curve, cov, *, k: float = 2.0, shrink: float = 0.5) -> DecayComparison:
    """Default comparison of ``log|C| = a - r/xi`` against ``log|C| = a - alpha log r``."""
    r, y, cov_log = _log_data(r, curve, cov, k, shrink)
    stop = r.size
    if stop < 3:
        return DecayComparison(np.nan, np.nan, np.nan, stop)
    cov_inv = np.linalg.inv(cov_log)
    one = np.ones_like(r)
    b_exp, chi2_exp = _gls(np.stack([one, -r], 1), y, cov_inv)
    b_pow, chi2_pow = _gls(np.stack([one, -np.log(r)], 1), y, cov_inv)
    logit = np.clip(0.5 * (chi2_exp - chi2_pow), -700, 700)
    xi = 1.0 / b_exp[1] if b_exp[1] > 0 else np.inf
    return DecayComparison(float(1.0 / (1.0 + np.exp(-logit))), float(xi), float(b_pow[1]),
                           stop)


def evidence_decay(*, k: float = 2.0, shrink: float = 0.5, method=None, chains: int = 4,
                   draws: int = 500, warmup: int = 500, seed: int = 0):
    """A ``compare(r, curve, cov)`` for the sweeps that decides by the log evidence.

    The lags and the covariance of ``log |C|`` are those of :func:`compare_decay`; the
    models ``power`` (``A r^-alpha + c``) and ``exponential`` (``A exp(-r/xi) + c``) of
    :mod:`bayesfit.sequences` are fitted with their correlated likelihood and a jitter
    term by ``method`` (default ``bayesfit.REMC()``), and
    ``P(power) = 1 / (1 + exp(-(ln Z_power - ln Z_exp)))`` (equal prior odds). ``xi`` and
    ``alpha`` are posterior medians.
    """
    def compare(r, curve, cov) -> DecayComparison:
        from ..sequences import compare_decay as by_evidence

        r, y, cov_log = _log_data(r, curve, cov, k, shrink)
        if r.size < 3:
            return DecayComparison(np.nan, np.nan, np.nan, r.size)
        out = by_evidence((r, y, cov_log), ("power", "exponential"), method=method,
                          chains=chains, draws=draws, warmup=warmup, seed=seed,
                          forward=False, loo=False)
        z = out.table["log_evidence"]
        logit = float(np.clip(z["power"] - z["exponential"], -700, 700))
        return DecayComparison(float(1.0 / (1.0 + np.exp(-logit))),
                               float(np.median(out.results["exponential"].draws("xi"))),
                               float(np.median(out.results["power"].draws("alpha"))),
                               r.size)

    return compare
