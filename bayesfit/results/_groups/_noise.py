"""The group ``noise``: the Bayesian free energy ``F(sigma)`` of every dataset whose noise
level was estimated, its minimum ``sigma_hat`` and errors (Tamura et al. 2020)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import numpy as np
import pandas as pd
import xarray as xr

from ._base import register_group, strings

_PER_DATASET = ("sigma_hat", "sigma_hat_err", "sigma_ref", "sigma_map")


@dataclass(frozen=True)
class NoiseRay:
    """``F`` along the ray ``sigma_d = sigma_ref_d * scale`` of all noise levels at once."""

    scale: np.ndarray
    free_energy: np.ndarray
    sigma_ref: np.ndarray  # per dataset of the group, data units


@register_group
@dataclass(frozen=True)
class NoiseLevels:
    """Noise levels at the minimum of ``F(sigma) = -log p(data | sigma)`` (nats; the noise
    prior is not part of F).

    ``datasets`` names the datasets (the coordinate ``dataset``), ``units`` their y units
    (the units of every sigma of that dataset). Per dataset: ``sigma_hat`` (the minimum),
    ``sigma_hat_err`` (its Monte Carlo error over runs), ``sigma_ref`` (``sigma_0``, the
    ``b = 1`` end of its ladder), ``sigma_map`` (the MAP noise level) and ``calibrated``
    (a curve known up to a constant, shifted so that ``F(sigma_hat) = -log evidence``).
    Per dataset and rung: the grid ``sigma`` and ``free_energy`` with its error.
    ``grad_log_sigma`` (with ``grad_log_sigma_err``): ``dF / d log sigma_d`` at
    ``sigma_hat`` by Fisher's identity, ``n_d - E[SSR_d] / sigma_hat_d**2`` under the final
    posterior (nats; zero at the minimum), a check independent of the ladders; None in
    files written before it existed. ``scheme``: how the levels were found.
    Reference: Tamura et al., PRB 101, 224435 (2020).
    """

    datasets: tuple[str, ...]
    units: tuple[str, ...]
    sigma_hat: np.ndarray
    sigma_hat_err: np.ndarray
    sigma_ref: np.ndarray
    sigma_map: np.ndarray
    calibrated: np.ndarray
    sigma: np.ndarray
    free_energy: np.ndarray
    free_energy_err: np.ndarray
    ray: NoiseRay | None = None
    grad_log_sigma: np.ndarray | None = None
    grad_log_sigma_err: np.ndarray | None = None
    scheme: str | None = None

    name: ClassVar[str] = "noise"

    def __post_init__(self):
        if self.scheme is None:  # files and callers from before the attribute existed
            object.__setattr__(self, "scheme", "single ladder" if len(self.datasets) == 1
                               else "coordinate-wise")

    def table(self) -> pd.DataFrame:
        """One row per dataset: ``sigma_hat``, ``mc_err``, ``sigma_map`` (data units),
        ``units`` and, where recorded, ``dF_dlog_sigma`` with its error (nats)."""
        cols = {"sigma_hat": np.asarray(self.sigma_hat, float),
                "mc_err": np.asarray(self.sigma_hat_err, float),
                "sigma_map": np.asarray(self.sigma_map, float),
                "units": list(self.units)}
        if self.grad_log_sigma is not None:
            cols["dF_dlog_sigma"] = np.asarray(self.grad_log_sigma, float)
            cols["dF_dlog_sigma_err"] = np.asarray(self.grad_log_sigma_err, float)
        df = pd.DataFrame(cols, index=list(self.datasets))
        df.index.name = "dataset"
        return df

    def curve(self, dataset: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """``(sigma, F, F_err)`` of one dataset, sigma increasing (NaN padding dropped)."""
        i = self.datasets.index(dataset)
        s, f, e = self.sigma[i], self.free_energy[i], self.free_energy_err[i]
        keep = np.isfinite(s)
        order = np.argsort(s[keep])
        return s[keep][order], f[keep][order], e[keep][order]

    def to_dataset(self) -> xr.Dataset:
        d = ["dataset"]
        grid = ["dataset", "rung"]
        data = {k: xr.DataArray(np.asarray(getattr(self, k), float), dims=d)
                for k in _PER_DATASET}
        data["calibrated"] = xr.DataArray(np.asarray(self.calibrated, bool), dims=d)
        data["sigma"] = xr.DataArray(np.asarray(self.sigma, float), dims=grid)
        data["free_energy"] = xr.DataArray(np.asarray(self.free_energy, float), dims=grid,
                                           attrs={"units": "nats"})
        data["free_energy_err"] = xr.DataArray(np.asarray(self.free_energy_err, float),
                                               dims=grid, attrs={"units": "nats"})
        if self.ray is not None:
            data["ray_scale"] = xr.DataArray(np.asarray(self.ray.scale, float), dims=["ray"])
            data["free_energy_ray"] = xr.DataArray(
                np.asarray(self.ray.free_energy, float), dims=["ray"], attrs={"units": "nats"})
            data["sigma_ref_ray"] = xr.DataArray(np.asarray(self.ray.sigma_ref, float), dims=d)
        if self.grad_log_sigma is not None:
            for k in ("grad_log_sigma", "grad_log_sigma_err"):
                data[k] = xr.DataArray(np.asarray(getattr(self, k), float), dims=d,
                                       attrs={"units": "nats"})
        coords = {"dataset": list(self.datasets), "units": ("dataset", list(self.units))}
        return xr.Dataset(data, coords=coords, attrs={
            "scheme": self.scheme,
            "method": "Bayesian free energy minimisation (Tamura et al. 2020)",
            "note": "F(sigma) = -log p(data | sigma); the noise prior is not part of F; "
                    "every sigma is in the units of its dataset (coordinate units)",
        })

    @classmethod
    def from_dataset(cls, ds: xr.Dataset) -> NoiseLevels:
        ray = None
        if "free_energy_ray" in ds:
            ray = NoiseRay(ds["ray_scale"].values, ds["free_energy_ray"].values,
                           ds["sigma_ref_ray"].values)
        return cls(datasets=strings(ds["dataset"].values), units=strings(ds["units"].values),
                   **{k: ds[k].values for k in _PER_DATASET},
                   calibrated=ds["calibrated"].values.astype(bool),
                   sigma=ds["sigma"].values, free_energy=ds["free_energy"].values,
                   free_energy_err=ds["free_energy_err"].values, ray=ray,
                   grad_log_sigma=ds["grad_log_sigma"].values if "grad_log_sigma" in ds
                   else None,
                   grad_log_sigma_err=ds["grad_log_sigma_err"].values
                   if "grad_log_sigma_err" in ds else None,
                   scheme=str(ds.attrs["scheme"]) if "scheme" in ds.attrs else None)
