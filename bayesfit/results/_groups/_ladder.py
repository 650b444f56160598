"""The group ``ladder``: the replica-exchange ladder of every independent run."""

from __future__ import annotations

from dataclasses import dataclass, field
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

    Optional (a run with a variational reference, Syed et al. 2021 sec. 4): ``leg`` of
    every rung (0: power leg up to the posterior, 1: reference leg), ``leg_barriers``
    (``{leg name: barrier per run}``), the reference ``q``, a mixture of Gaussians (one
    component, or one per optimum that carries weight): ``reference_weight`` (run,
    component), ``reference_mean`` (run, component, coordinate) and ``reference_chol``
    (run, component, coordinate, coordinate) in unconstrained coordinates (results
    written before mixtures: one Gaussian, no component axis), the ``reference`` kind,
    the ``target_slot`` (rung of the posterior) and ``power_leg_low`` (lowest power of the
    power leg).
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
    leg: np.ndarray | None = None
    leg_barriers: dict[str, np.ndarray] = field(default_factory=dict)
    reference_mean: np.ndarray | None = None
    reference_chol: np.ndarray | None = None
    reference_weight: np.ndarray | None = None
    reference: str = "prior"
    target_slot: int | None = None
    power_leg_low: float | None = None

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
        if self.leg is not None:
            data["leg"] = xr.DataArray(np.asarray(self.leg), dims=["temperature"])
        for leg_name, b in self.leg_barriers.items():
            data[f"barrier_{leg_name}"] = xr.DataArray(np.asarray(b), dims=["chain"])
        comp = ["component"] if np.ndim(self.reference_mean) == 3 else []
        if self.reference_mean is not None:
            data["reference_mean"] = xr.DataArray(np.asarray(self.reference_mean),
                                                  dims=["chain", *comp, "coordinate"])
        if self.reference_chol is not None:
            data["reference_chol"] = xr.DataArray(
                np.asarray(self.reference_chol), dims=["chain", *comp, "coordinate", "coordinate_"])
        if self.reference_weight is not None:
            data["reference_weight"] = xr.DataArray(np.asarray(self.reference_weight),
                                                    dims=["chain", "component"])
        attrs = {
            "scheme": "DEO (Syed et al. 2021)", "move": self.move, "replicas": self.replicas,
            "rhat_max": float(self.rhat_max), "reference": self.reference,
            "note": "chain = independent run; pair k = replicas (k, k+1); "
                    "mean/var_log_likelihood are of the TI integrand u; reference_weight, "
                    "reference_mean and reference_chol: the reference q, a mixture of "
                    "Gaussians (unconstrained coordinates)",
        }
        if self.target_slot is not None:
            attrs["target_slot"] = int(self.target_slot)
        if self.power_leg_low is not None:
            attrs["power_leg_low"] = float(self.power_leg_low)
        return xr.Dataset(data, coords={"chain": np.arange(np.shape(self.beta)[0])},
                          attrs=attrs)

    @classmethod
    def from_dataset(cls, ds: xr.Dataset) -> Ladder:
        fields = (*_T, "swap_acceptance", "round_trips", "barrier")
        opt = lambda k: ds[k].values if k in ds else None  # noqa: E731
        legs = {str(k)[len("barrier_"):]: ds[k].values for k in ds.data_vars
                if str(k).startswith("barrier_")}
        attrs = ds.attrs
        return cls(**{k: ds[k].values for k in fields}, move=str(attrs["move"]),
                   rhat_max=float(attrs["rhat_max"]), leg=opt("leg"), leg_barriers=legs,
                   reference_mean=opt("reference_mean"),
                   reference_chol=opt("reference_chol"),
                   reference_weight=opt("reference_weight"),
                   reference=str(attrs.get("reference", "prior")),
                   target_slot=int(attrs["target_slot"]) if "target_slot" in attrs else None,
                   power_leg_low=float(attrs["power_leg_low"])
                   if "power_leg_low" in attrs else None)
