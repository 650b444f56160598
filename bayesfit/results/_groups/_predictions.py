"""The group ``predictions``: derived quantities evaluated on posterior draws."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import numpy as np
import pandas as pd
import xarray as xr

from ._base import register_group


@dataclass(frozen=True)
class PredictedQuantity:
    """Draws of one predicted quantity, shape ``(sample,)`` for a scalar or
    ``(sample, grid, ...)`` on a grid ``grid`` named ``grid_name`` (units ``grid_units``)."""

    values: np.ndarray
    units: str = ""
    description: str = ""
    grid: np.ndarray | None = None
    grid_name: str = ""
    grid_units: str = ""


@register_group
@dataclass(frozen=True)
class Predictions:
    """Kernel predictions (:class:`bayesfit.kernels.Prediction`) on posterior draws, one
    :class:`PredictedQuantity` per name."""

    quantities: dict[str, PredictedQuantity]

    name: ClassVar[str] = "predictions"

    def table(self, probs=(0.025, 0.975)) -> pd.DataFrame:
        """Median and the equal-tailed interval ``probs`` of every scalar quantity."""
        lo, hi = probs
        cols = ["median", f"q{100 * lo:g}", f"q{100 * hi:g}", "units"]
        rows = {}
        for name, q in self.quantities.items():
            if q.grid is None and np.ndim(q.values) == 1:
                m, a, b = np.quantile(q.values, [0.5, lo, hi])
                rows[name] = [float(m), float(a), float(b), q.units]
        df = pd.DataFrame.from_dict(rows, orient="index", columns=cols)
        df.index.name = "quantity"
        return df

    def to_dataset(self) -> xr.Dataset:
        data, coords = {}, {}
        for name, q in self.quantities.items():
            vals = np.asarray(q.values)
            dims = ["sample"]
            if q.grid is not None:
                coords[q.grid_name] = xr.DataArray(np.asarray(q.grid), dims=[q.grid_name],
                                                   attrs={"units": q.grid_units})
                dims.append(q.grid_name)
            dims += [f"{name}_dim_{i}" for i in range(vals.ndim - len(dims))]
            data[name] = xr.DataArray(vals, dims=dims,
                                      attrs={"units": q.units, "description": q.description})
        return xr.Dataset(data, coords=coords)

    @classmethod
    def from_dataset(cls, ds: xr.Dataset) -> Predictions:
        out = {}
        for name in ds.data_vars:
            da = ds[name]
            grid = da.dims[1] if da.ndim > 1 and da.dims[1] in ds.coords else None
            out[str(name)] = PredictedQuantity(
                da.values, units=da.attrs.get("units", ""),
                description=da.attrs.get("description", ""),
                grid=None if grid is None else ds[grid].values, grid_name=grid or "",
                grid_units="" if grid is None else ds[grid].attrs.get("units", ""))
        return cls(out)
