"""The group ``ladder``: the replica-exchange ladder of every independent run."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import numpy as np
import xarray as xr

from ._base import register_group

_T = ("beta", "mean_log_likelihood", "var_log_likelihood", "move_acceptance", "step_size")
_UNITS = {"mean_log_likelihood": "nats", "var_log_likelihood": "nats^2"}


@register_group
@dataclass(frozen=True)
class Ladder:
    """Per run (``chain``) and rung (``temperature``): inverse temperatures ``beta``, the
    mean and variance of the TI integrand ``u`` (nats, nats^2), move acceptance and step
    size; per pair of neighbouring rungs (``pair``): swap acceptance; per run: round trips
    between ``b = 0`` and ``b = 1`` and the global communication barrier (Syed et al. 2021).
    """

    beta: np.ndarray
    mean_log_likelihood: np.ndarray
    var_log_likelihood: np.ndarray
    move_acceptance: np.ndarray
    step_size: np.ndarray
    swap_acceptance: np.ndarray
    round_trips: np.ndarray
    barrier: np.ndarray
    move: str
    rhat_max: float

    name: ClassVar[str] = "ladder"

    @property
    def replicas(self) -> int:
        return int(np.shape(self.beta)[1])

    def to_dataset(self) -> xr.Dataset:
        data = {k: xr.DataArray(np.asarray(getattr(self, k)), dims=["chain", "temperature"],
                                attrs={"units": _UNITS[k]} if k in _UNITS else {}) for k in _T}
        data["swap_acceptance"] = xr.DataArray(np.asarray(self.swap_acceptance),
                                               dims=["chain", "pair"])
        data["round_trips"] = xr.DataArray(np.asarray(self.round_trips), dims=["chain"])
        data["barrier"] = xr.DataArray(np.asarray(self.barrier), dims=["chain"])
        return xr.Dataset(data, coords={"chain": np.arange(np.shape(self.beta)[0])}, attrs={
            "scheme": "DEO (Syed et al. 2021)", "move": self.move, "replicas": self.replicas,
            "rhat_max": float(self.rhat_max),
            "note": "chain = independent run; pair k = replicas (k, k+1); "
                    "mean/var_log_likelihood are of the TI integrand u",
        })

    @classmethod
    def from_dataset(cls, ds: xr.Dataset) -> Ladder:
        fields = (*_T, "swap_acceptance", "round_trips", "barrier")
        return cls(**{k: ds[k].values for k in fields}, move=str(ds.attrs["move"]),
                   rhat_max=float(ds.attrs["rhat_max"]))
