"""The group ``evidence``: log evidence (stepping stone) with the TI estimate beside it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import numpy as np
import xarray as xr

from ._base import register_group, scalar

_SCALARS = ("log_evidence", "log_evidence_err", "log_evidence_ti", "log_evidence_ti_err",
            "log_evidence_ti_mc_err", "log_evidence_ti_discretisation_err")


@register_group
@dataclass(frozen=True)
class Evidence:
    """``log p(data | model)`` in nats by stepping stone (Xie et al. 2011, the reported
    value) and by thermodynamic integration (Friel & Pettitt 2008); ``*_runs`` hold the
    estimate of every independent run (``chain``); ``note`` says how the noise levels
    entered (marginalised, known, or at the free-energy minimum). ``log_evidence_ss``
    (``_err``) repeat the stepping-stone value under its own name; optional
    ``log_evidence_prior_leg`` (``_err``): the stepping stone along the prior leg of a run
    with a variational reference (a check, as estimated). ``mirror_images``: the mirror
    images of the sampled mode under the model's exact symmetries (1 without any), and
    ``mirror_correction`` the ``log M`` (nats) already added to every estimate above when
    each run sampled one image of ``M`` (0 when the runs visited all of them)."""

    log_evidence: float
    log_evidence_err: float
    log_evidence_ti: float
    log_evidence_ti_err: float
    log_evidence_ti_mc_err: float
    log_evidence_ti_discretisation_err: float
    ss_runs: np.ndarray
    ti_runs: np.ndarray
    note: str = ""
    log_evidence_prior_leg: float | None = None
    log_evidence_prior_leg_err: float | None = None
    mirror_images: int = 1
    mirror_correction: float = 0.0

    name: ClassVar[str] = "evidence"

    def to_dataset(self) -> xr.Dataset:
        nats = {"units": "nats"}
        data = {k: xr.DataArray(float(getattr(self, k)), attrs=nats) for k in _SCALARS}
        data["log_evidence_ss"] = xr.DataArray(float(self.log_evidence), attrs=nats)
        data["log_evidence_ss_err"] = xr.DataArray(float(self.log_evidence_err), attrs=nats)
        for k in ("log_evidence_prior_leg", "log_evidence_prior_leg_err"):
            if getattr(self, k) is not None:
                data[k] = xr.DataArray(float(getattr(self, k)), attrs=nats)
        data["log_evidence_ss_runs"] = xr.DataArray(np.asarray(self.ss_runs), dims=["chain"],
                                                    attrs=nats)
        data["log_evidence_ti_runs"] = xr.DataArray(np.asarray(self.ti_runs), dims=["chain"],
                                                    attrs=nats)
        data["mirror_images"] = xr.DataArray(int(self.mirror_images))
        data["mirror_correction"] = xr.DataArray(float(self.mirror_correction), attrs=nats)
        return xr.Dataset(data, attrs={
            "estimator": "stepping stone (Xie et al. 2011); TI (Friel & Pettitt 2008) beside",
            "free_energy": "F = -log_evidence",
            "note": self.note,
        })

    @classmethod
    def from_dataset(cls, ds: xr.Dataset) -> Evidence:
        return cls(**{k: scalar(ds, k) for k in _SCALARS},
                   ss_runs=ds["log_evidence_ss_runs"].values,
                   ti_runs=ds["log_evidence_ti_runs"].values, note=str(ds.attrs.get("note", "")),
                   mirror_images=int(ds["mirror_images"]) if "mirror_images" in ds else 1,
                   mirror_correction=scalar(ds, "mirror_correction")
                   if "mirror_correction" in ds else 0.0,
                   **{k: scalar(ds, k) for k in ("log_evidence_prior_leg",
                                                 "log_evidence_prior_leg_err") if k in ds})
