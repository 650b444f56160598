"""Rank fitted models by log evidence (Bayes factors) and by PSIS-LOO, in one table.

The log evidence ``log p(data | model)`` (minus the Bayesian free energy) comes from the
result group ``evidence`` (written by REMC); Bayes factors are reported as
``log BF = log Z_model - log Z_best`` with the errors of the two added in quadrature.
PSIS-LOO (Vehtari, Gelman & Gabry 2017, Stat. Comput. 27, 1413) is computed by ArviZ
(``arviz.loo``) from the ``log_likelihood`` group (``bayesfit fit --log-likelihood``), the
pointwise values of all datasets concatenated; ``elpd_diff`` and its standard error are
taken pointwise against the best model when the models were fitted to the same points.

With ``REMC(noise="free_energy")`` the evidence is ``p(data | sigma_hat)`` (noise levels at
the free-energy minimum), which is larger than the evidence with the noise levels
marginalised (``noise="free"``) by the Occam factor of the noise prior: compare models
whose noise was treated alike (column ``noise``).
"""

from __future__ import annotations

import math
import os
import warnings
from collections.abc import Mapping, Sequence
from pathlib import Path

import arviz as az
import numpy as np
import pandas as pd
import xarray as xr

from ..errors import BayesfitError
from ._result import Result, load

COLUMNS = [
    "method", "noise", "log_evidence", "log_evidence_err", "log_bf", "log_bf_err",
    "rank_evidence", "elpd_loo", "elpd_loo_se", "p_loo", "elpd_diff", "elpd_diff_se",
    "pareto_k_max", "rank_loo",
]


def _named(results) -> dict[str, Result]:
    if isinstance(results, Mapping):
        items = list(results.items())
    elif isinstance(results, str | os.PathLike | Result):
        items = [(None, results)]
    else:
        items = [(None, r) for r in results]
    out: dict[str, Result] = {}
    for i, (name, r) in enumerate(items):
        if isinstance(r, str | os.PathLike):
            name = name or Path(r).stem
            r = load(r)
        elif not isinstance(r, Result):
            raise BayesfitError(
                f"compare: item {i} is a {type(r).__name__}; give bayesfit Results or paths "
                "of saved results (.nc).")
        name = str(name or f"model{i}")
        while name in out:
            name += "'"
        out[name] = r
    if not out:
        raise BayesfitError("compare: give at least one result.")
    return out


def _loo(result: Result):
    """PSIS-LOO of all points of all datasets, or ``None`` without log likelihoods."""
    tree = result.tree
    if "log_likelihood" not in tree.children:
        return None
    ll = tree["log_likelihood"].to_dataset()
    names = ["all_data"] if "all_data" in ll else sorted(ll.data_vars)
    arrays = [ll[k].transpose("chain", "draw", ...).values for k in names]
    flat = np.concatenate([a.reshape(a.shape[0], a.shape[1], -1) for a in arrays], axis=2)
    y = xr.DataArray(flat, dims=["chain", "draw", "point"])
    joint = xr.DataTree.from_dict({"posterior": tree["posterior"].to_dataset(),
                                   "log_likelihood": xr.Dataset({"y": y})})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return az.loo(joint, pointwise=True)


def compare(results_or_paths: Sequence | Mapping) -> pd.DataFrame:
    """One row per model, sorted by log evidence (best first; models without evidence last).

    Parameters
    ----------
    results_or_paths:
        :class:`Result` objects and/or paths of saved results, or ``{name: result/path}``.
        Names default to the file stem (``model<i>`` for in-memory results).

    Returns
    -------
    pandas.DataFrame
        Columns (nats): ``log_evidence``, ``log_evidence_err``, ``log_bf`` (vs the best
        model), ``log_bf_err``, ``rank_evidence``; ``elpd_loo``, ``elpd_loo_se``, ``p_loo``,
        ``elpd_diff`` (vs the best LOO model), ``elpd_diff_se``, ``pareto_k_max``,
        ``rank_loo``; and ``method``, ``noise`` (how the noise levels were treated).
        Missing quantities are NaN.
    """
    models = _named(results_or_paths)
    rows, pointwise = {}, {}
    for name, r in models.items():
        loo = _loo(r)
        err = r.log_evidence_err
        rows[name] = {
            "method": r.tree.attrs.get("method", ""),
            "noise": r.tree.attrs.get("noise", ""),
            "log_evidence": np.nan if r.log_evidence is None else r.log_evidence,
            "log_evidence_err": np.nan if err is None else err,
            "elpd_loo": np.nan if loo is None else float(loo.elpd),
            "elpd_loo_se": np.nan if loo is None else float(loo.se),
            "p_loo": np.nan if loo is None else float(loo.p),
            "pareto_k_max": np.nan if loo is None else float(np.max(loo.pareto_k)),
        }
        if loo is not None:
            pointwise[name] = np.asarray(loo.elpd_i).ravel()
    df = pd.DataFrame.from_dict(rows, orient="index")
    ev = df["log_evidence"]
    if ev.notna().any():
        best = ev.idxmax()
        df["log_bf"] = ev - ev[best]
        e = df["log_evidence_err"].fillna(0.0)
        df["log_bf_err"] = np.sqrt(e**2 + e[best] ** 2)
        df.loc[best, "log_bf_err"] = 0.0
    else:
        df["log_bf"] = df["log_bf_err"] = np.nan
    df["rank_evidence"] = ev.rank(ascending=False, method="min").astype("Int64")
    df["elpd_diff"] = df["elpd_diff_se"] = np.nan
    if pointwise:
        best = df["elpd_loo"].idxmax()
        for name, e in pointwise.items():
            if e.shape == pointwise[best].shape:
                d = e - pointwise[best]
                df.loc[name, "elpd_diff"] = float(d.sum())
                df.loc[name, "elpd_diff_se"] = float(math.sqrt(d.size * np.var(d)))
    df["rank_loo"] = df["elpd_loo"].rank(ascending=False, method="min").astype("Int64")
    df = df[COLUMNS].sort_values(["log_evidence", "elpd_loo"], ascending=False,
                                 na_position="last")
    df.index.name = "model"
    return df
