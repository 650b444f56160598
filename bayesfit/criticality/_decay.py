"""Power law or exponential? A small decay-model comparison for one correlation curve.

The sweep asks a callable ``compare(r, curve, cov) -> DecayComparison`` for the
probability that |C(r)| decays as a power law rather than exponentially. The default,
:func:`compare_decay`, is deliberately small: generalised least squares on
``log |C(r)|`` over the lags where the signal exceeds ``k`` bootstrap standard errors,
covariance of log C by the delta method (shrunk toward its diagonal), both models with
two parameters, so equal priors give ``P(power) = 1 / (1 + exp(-(chi2_exp - chi2_pow)/2))``
(the BIC / Laplace approximation with equal parameter counts).

Provisional: after the merge of ``bayesfit.sequences`` (issue 14) pass its evidence-based
comparison (correlated likelihood, REMC log evidence) as ``compare`` instead.
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


def compare_decay(r, curve, cov, *, k: float = 2.0, shrink: float = 0.5) -> DecayComparison:
    """Default comparison of ``log|C| = a - r/xi`` against ``log|C| = a - alpha log r``."""
    r = np.asarray(r, dtype=float)
    c = np.abs(np.asarray(curve, dtype=float))
    se = np.sqrt(np.clip(np.diag(np.asarray(cov)), 1e-300, None))
    weak = np.flatnonzero(c <= k * se)
    stop = int(weak[0]) if weak.size else c.size
    if stop < 3:
        return DecayComparison(np.nan, np.nan, np.nan, stop)
    r, c, cv = r[:stop], c[:stop], np.asarray(cov)[:stop, :stop]
    y = np.log(c)
    cov_log = cv / np.outer(c, c)
    cov_log = (1 - shrink) * cov_log + shrink * np.diag(np.diag(cov_log))
    cov_inv = np.linalg.inv(cov_log)
    one = np.ones_like(r)
    b_exp, chi2_exp = _gls(np.stack([one, -r], 1), y, cov_inv)
    b_pow, chi2_pow = _gls(np.stack([one, -np.log(r)], 1), y, cov_inv)
    logit = np.clip(0.5 * (chi2_exp - chi2_pow), -700, 700)
    xi = 1.0 / b_exp[1] if b_exp[1] > 0 else np.inf
    return DecayComparison(float(1.0 / (1.0 + np.exp(-logit))), float(xi), float(b_pow[1]),
                           stop)
