"""``Result``: the ArviZ DataTree of a fit, with summary, save and load."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import arviz as az
import numpy as np
import pandas as pd
import xarray as xr

from .._atomic import write_atomic
from ..errors import BayesfitError
from ._groups import read_group


class Result:
    """A fit's results. ``tree`` is an ``xarray.DataTree`` with the ArviZ groups
    (posterior, sample_stats, observed_data, constant_data, posterior_predictive,
    log_likelihood on request) and method groups (``map``, ``emcee``, ``evidence``,
    ``ladder``, ``noise``, ``predictions``)."""

    def __init__(self, tree: xr.DataTree, problem: Any = None):
        self.tree = tree
        self.problem = problem

    # -- access ---------------------------------------------------------------------
    @property
    def posterior(self) -> xr.Dataset:
        return self.tree["posterior"].to_dataset()

    @property
    def parameter_names(self) -> list[str]:
        return list(self.posterior.data_vars)

    @property
    def config(self) -> dict:
        return json.loads(self.tree.attrs.get("config", "{}"))

    def group(self, name: str):
        """The typed method group ``name`` (:mod:`bayesfit.results._groups`: ``noise`` ->
        :class:`NoiseLevels`, ``evidence`` -> :class:`Evidence`, ``ladder``, ``map``,
        ``emcee``, ``predictions``), read from the tree; ``None`` when absent."""
        return read_group(self.tree, name)

    @property
    def log_evidence(self) -> float | None:
        """log p(data | model) in nats (minus the Bayesian free energy), if computed."""
        ev = self.group("evidence")
        return None if ev is None else ev.log_evidence

    @property
    def log_evidence_err(self) -> float | None:
        """Standard error of :attr:`log_evidence` (nats, spread of the independent runs)."""
        ev = self.group("evidence")
        return None if ev is None else ev.log_evidence_err

    @property
    def dataset_names(self) -> list[str]:
        """Names of the fitted datasets (the variables of ``observed_data``)."""
        if "observed_data" not in self.tree.children:
            return []
        return [str(k) for k in self.tree["observed_data"].data_vars]

    def draws(self, name: str) -> np.ndarray:
        """All draws of a posterior variable, chains stacked: shape ``(chains*draws, ...)``."""
        v = self.posterior[name].values
        return v.reshape(-1, *v.shape[2:])

    # -- reports --------------------------------------------------------------------------
    def summary(self, var_names=None, *, ci_prob: float = 0.95, kind: str = "all",
                round_to="none"):
        """ArviZ summary table (mean, sd, equal-tailed interval, ESS, R-hat) as a DataFrame.

        ``ci_prob`` is the interval probability; the interval is equal-tailed. Values are
        not rounded unless ``round_to`` says so (ArviZ's ``"auto"`` keeps 2 digits).
        """
        df = az.summary(self.tree, var_names=var_names or self.parameter_names,
                        ci_prob=ci_prob, ci_kind="eti", kind=kind, round_to=round_to)
        units = json.loads(self.tree.attrs.get("parameter_units", "{}"))
        if units:
            df.insert(0, "units", [units.get(str(i).split("[")[0], "") for i in df.index])
        return df

    def correlations(self) -> pd.DataFrame | None:
        """Posterior correlation matrix of the scalar parameters (Pearson, over all draws
        of all chains); ``None`` with fewer than two scalar parameters."""
        names = [n for n in self.parameter_names if self.posterior[n].ndim == 2]
        if len(names) < 2:
            return None
        return pd.DataFrame(np.corrcoef(np.stack([self.draws(n) for n in names])),
                            index=names, columns=names)

    def noise_table(self) -> pd.DataFrame | None:
        """Noise level ``sigma_hat`` at the minimum of the Bayesian free energy of every
        dataset whose noise was estimated (``REMC(noise="free_energy")``), with its Monte
        Carlo error ``mc_err`` and the MAP level ``sigma_map``, in the dataset's y units
        (column ``units``); ``None`` without a ``noise`` group."""
        noise = self.group("noise")
        return None if noise is None else noise.table()

    def predictions_table(self) -> pd.DataFrame | None:
        """Median and 95% equal-tailed interval of every scalar predicted quantity (the
        ``predictions`` group, from ``fit(..., predictions=...)``), with units; ``None``
        without predictions."""
        preds = self.group("predictions")
        return None if preds is None else preds.table()

    def write_report(self, folder: str | os.PathLike, *, plots: bool = True
                     ) -> list[tuple[Path, str]]:
        """Write ``fit.nc``, ``summary.csv``, ``correlations.csv``, ``noise.csv``,
        ``predictions.csv`` (those that apply) and, with ``plots``, the standard figures
        into ``folder``, each atomically. Returns ``[(path, description)]``."""
        from ._report import write_report

        return write_report(self, Path(folder), plots=plots)

    # -- persistence ------------------------------------------------------------------
    def save(self, path: str | os.PathLike) -> Path:
        """Write the tree to netCDF atomically (a temporary file, then a rename)."""
        return write_atomic(path, lambda p: self.tree.to_netcdf(p, engine="h5netcdf"))

    def format_summary(self, **kwargs) -> str:
        """The summary as text, 5 significant digits."""
        return self.summary(**kwargs).to_string(float_format=lambda v: f"{v:.5g}")

    def __repr__(self) -> str:
        groups = ", ".join(self.tree.children)
        return f"Result(method={self.tree.attrs.get('method')!r}, groups=[{groups}])"


def load(path: str | os.PathLike) -> Result:
    """Read a result written by :meth:`Result.save`."""
    path = Path(path)
    if not path.is_file():
        raise BayesfitError(f"{path}: no such result file; run `bayesfit fit` first.")
    try:
        with xr.open_datatree(path, engine="h5netcdf") as tree:
            return Result(tree.load())
    except (OSError, ValueError) as err:
        raise BayesfitError(f"{path}: not a readable bayesfit result ({err}).") from None
