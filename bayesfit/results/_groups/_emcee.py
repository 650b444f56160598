"""The group ``emcee``: autocorrelation times and acceptance of every ensemble."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import numpy as np
import xarray as xr

from ._base import register_group, strings


@register_group
@dataclass(frozen=True)
class EnsembleDiagnostics:
    """Per ensemble (``chain``, an independent ArviZ chain) and coordinate of ``z`` (named
    by the coordinate ``z``): the integrated autocorrelation time (steps; emcee's
    estimator) and whether it is trustworthy (post-warm-up steps > 50 tau); per ensemble
    the mean acceptance fraction; ``walkers`` per ensemble."""

    z_names: tuple[str, ...]
    autocorr_time: np.ndarray
    autocorr_reliable: np.ndarray
    acceptance_fraction: np.ndarray
    walkers: int

    name: ClassVar[str] = "emcee"

    def to_dataset(self) -> xr.Dataset:
        cz = ["chain", "z"]
        return xr.Dataset(
            {
                "autocorr_time": xr.DataArray(np.asarray(self.autocorr_time, float), dims=cz,
                                              attrs={"units": "steps"}),
                "autocorr_reliable": xr.DataArray(np.asarray(self.autocorr_reliable, bool),
                                                  dims=cz),
                "acceptance_fraction": xr.DataArray(np.asarray(self.acceptance_fraction),
                                                    dims=["chain"]),
            },
            coords={"z": list(self.z_names)},
            attrs={"walkers": int(self.walkers),
                   "note": "chain = independent ensemble; R-hat is across ensembles"},
        )

    @classmethod
    def from_dataset(cls, ds: xr.Dataset) -> EnsembleDiagnostics:
        return cls(z_names=strings(ds["z"].values), autocorr_time=ds["autocorr_time"].values,
                   autocorr_reliable=ds["autocorr_reliable"].values.astype(bool),
                   acceptance_fraction=ds["acceptance_fraction"].values,
                   walkers=int(ds.attrs["walkers"]))
