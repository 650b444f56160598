"""Decay-model comparison: log evidence (REMC), PSIS-LOO, and a forward check.

The data of every model are the same ``y_r = ln I(r)`` with the bootstrap covariance
(correlated-noise likelihood of the core, optionally plus a fitted jitter). Three verdicts:

- the log evidence ``ln p(y | model)`` from REMC: ``log_bf`` against the best model;
- PSIS-LOO with the leave-one-out conditionals of the multivariate normal (the points are
  correlated, so this asks how well a model interpolates one lag given all others);
- the forward check: fit only ``r <= split`` and score ``ln p(y_{r > split} | y_{r <= split})``
  (the conditional of the correlated noise, averaged over the posterior): power laws and
  exponentials differ most in the tail they did not see.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

import jax
import jax.numpy as jnp
import numpy as np
import pandas as pd
from jax.scipy.special import logsumexp
from jax.scipy.stats import multivariate_normal

from ..core import Dataset, Problem
from ..errors import BayesfitError
from ._curve import Curve
from ._decay import DECAY_MODELS, decay_model, default_priors


def _data(data, min_snr: float, scale: str = "log"):
    if isinstance(data, Curve):
        return data.log_data(min_snr) if scale == "log" else data.linear_data()
    r, y, cov = data
    return np.asarray(r, float), np.asarray(y, float), np.asarray(cov, float)


def decay_problem(data, model: str, *, jitter: bool = True, min_snr: float = 2.0,
                  priors=None, name: str = "curve", scale: str = "log") -> Problem:
    """The :class:`~bayesfit.Problem` of fitting decay model ``model`` to ``ln I(r)``.

    ``data``: a :class:`Curve` (its :meth:`Curve.log_data`) or ``(r, y, cov)`` with
    ``y = ln I`` and ``cov`` its covariance. ``priors`` override :func:`default_priors`
    (e.g. ``{"jitter_curve": ...}``). ``scale="linear"`` fits ``y = I`` (all lags of a
    Curve, :meth:`Curve.linear_data`) with ``g(r) + c``."""
    r, y, cov = _data(data, min_snr, scale)
    params = default_priors(model, r, y, scale) | dict(priors or {})
    ds = Dataset(r, y, model=decay_model(model, scale), cov=cov, jitter=jitter, name=name,
                 x_name="r", units={"x": "", "y": ""})
    return Problem(params, ds, name=model)


def forward_lpd(problem_past: Problem, result, r, y, cov, split_index: int) -> float:
    """``ln p(y_f | y_p)`` averaged over the posterior of the fit to the past ``y_p``."""
    ds = problem_past.datasets[0]
    model = ds.model
    names = list(problem_past.free)
    draws = {k: jnp.asarray(result.draws(k)) for k in names}
    yp, yf = jnp.asarray(y[:split_index]), jnp.asarray(y[split_index:])
    rr = jnp.asarray(r)
    C = jnp.asarray(cov)
    n = len(y)
    jit_name = ds.jitter_name if ds.jitter else None

    def one(p):
        full = problem_past.full(p)
        mu = model(full, rr)
        S = C + (full[jit_name] ** 2 if jit_name else 0.0) * jnp.eye(n)
        Spp, Spf, Sff = S[:split_index, :split_index], S[:split_index, split_index:], \
            S[split_index:, split_index:]
        K = jnp.linalg.solve(Spp, Spf)
        m = mu[split_index:] + K.T @ (yp - mu[:split_index])
        V = Sff - Spf.T @ K
        return multivariate_normal.logpdf(yf, m, 0.5 * (V + V.T))

    lp = jax.jit(jax.vmap(one))(draws)
    return float(logsumexp(lp) - np.log(lp.shape[0]))


class DecayComparison(NamedTuple):
    """``table`` (one row per model, best evidence first; nats) and the fitted ``results``.

    Columns: ``log_evidence``, ``log_evidence_err``, ``log_bf`` (vs the best),
    ``log_bf_err``, ``elpd_loo``, ``elpd_loo_se``, ``elpd_diff``, ``forward_lpd`` (score of
    ``r > split`` from a fit to ``r <= split``), ``forward_diff`` (vs the best forward).
    """

    table: pd.DataFrame
    results: dict
    split: float


def compare_decay(data, models: Sequence[str] = DECAY_MODELS, *, method=None,
                  split: float | None = None, chains: int = 4, draws: int = 500,
                  warmup: int = 500, seed: int = 0, jitter: bool = True,
                  min_snr: float = 2.0, forward: bool = True, loo: bool = True,
                  scale: str = "log", progress: bool | None = False) -> DecayComparison:
    """Fit every decay model in ``models`` and rank them (see the module docstring).

    ``method`` defaults to ``bayesfit.REMC()`` (which gives the evidence); ``split`` (units
    of r) defaults to the median of the fitted lags. ``scale``: see :func:`decay_problem`.
    ``forward=False`` skips the forward check (and its fits of the past), ``loo=False`` the
    pointwise log likelihoods and PSIS-LOO (their columns are then NaN): the same
    posteriors and evidence, less work when only the evidence is wanted.
    """
    from .. import REMC, compare, fit

    bad = [m for m in models if m not in DECAY_MODELS]
    if bad:
        raise BayesfitError(f"unknown decay models {bad}; use some of {DECAY_MODELS}.")
    r, y, cov = _data(data, min_snr, scale)
    method = method or REMC()
    split = float(np.median(r)) if split is None else float(split)
    k = int(np.searchsorted(r, split, side="right"))
    if forward and not 3 <= k < len(r):
        raise BayesfitError(f"split = {split} leaves {k} of {len(r)} lags to fit and "
                            f"{len(r) - k} to score; need at least 3 and 1.")
    results, fwd = {}, {}
    for i, m in enumerate(models):
        prob = decay_problem((r, y, cov), m, jitter=jitter, scale=scale)
        results[m] = fit(prob, method, chains=chains, draws=draws, warmup=warmup,
                         seed=seed + i, progress=progress, log_likelihood=loo,
                         predictive=False)
        if forward:
            past = decay_problem((r[:k], y[:k], cov[:k, :k]), m, jitter=jitter, scale=scale)
            res = fit(past, method, chains=chains, draws=draws, warmup=warmup,
                      seed=seed + 100 + i, progress=progress, predictive=False)
            fwd[m] = forward_lpd(past, res, r, y, cov, k)
    table = compare(results)
    keep = ["log_evidence", "log_evidence_err", "log_bf", "log_bf_err", "elpd_loo",
            "elpd_loo_se", "elpd_diff", "pareto_k_max"]
    table = table[[c for c in keep if c in table.columns]].copy()
    if forward:
        table["forward_lpd"] = pd.Series(fwd)
        table["forward_diff"] = table["forward_lpd"] - table["forward_lpd"].max()
    return DecayComparison(table, results, split)
