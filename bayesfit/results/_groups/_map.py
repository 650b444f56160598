"""The group ``map``: the posterior mode and its Laplace approximation."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import numpy as np
import xarray as xr

from ._base import register_group, strings

_NOT_PARAMETERS = {"z_mode", "z_cov", "log_density", "restart_log_density"}


@register_group
@dataclass(frozen=True)
class MapEstimate:
    """``mode``: the natural parameters at the posterior mode; ``z_names``: the free
    parameters in the order of the unconstrained vector ``z`` (coordinate ``z``);
    ``z_mode`` and ``z_cov`` (the Laplace covariance, inverse negative Hessian of the log
    posterior in ``z``); ``log_density`` at the mode and of every restart (nats)."""

    mode: dict[str, np.ndarray]
    z_names: tuple[str, ...]
    z_mode: np.ndarray
    z_cov: np.ndarray
    log_density: float
    restart_log_density: np.ndarray

    name: ClassVar[str] = "map"

    def to_dataset(self) -> xr.Dataset:
        nats = {"units": "nats"}
        data = {k: xr.DataArray(np.asarray(v),
                                dims=[f"{k}_dim_{i}" for i in range(np.ndim(v))])
                for k, v in self.mode.items()}
        data |= {
            "z_mode": xr.DataArray(np.asarray(self.z_mode), dims=["z"]),
            "z_cov": xr.DataArray(np.asarray(self.z_cov), dims=["z", "z_"]),
            "log_density": xr.DataArray(float(self.log_density), attrs=nats),
            "restart_log_density": xr.DataArray(np.asarray(self.restart_log_density),
                                                dims=["restart"], attrs=nats),
        }
        names = list(self.z_names)
        return xr.Dataset(data, coords={"z": names, "z_": names})

    @classmethod
    def from_dataset(cls, ds: xr.Dataset) -> MapEstimate:
        mode = {k: ds[k].values for k in ds.data_vars if k not in _NOT_PARAMETERS}
        return cls(mode=mode, z_names=strings(ds["z"].values), z_mode=ds["z_mode"].values,
                   z_cov=ds["z_cov"].values, log_density=float(ds["log_density"]),
                   restart_log_density=ds["restart_log_density"].values)
