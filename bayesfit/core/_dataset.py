"""Observations together with the forward model that predicts them."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import jax.numpy as jnp
import numpy as np

from ..errors import BayesfitError

ModelFn = Callable[[Mapping[str, Any], Any], Any]


def _as_finite(name: str, what: str, values, where: str) -> np.ndarray:
    arr = np.asarray(values, dtype=np.float64)
    if arr.ndim == 0:
        arr = arr.reshape(1)
    if arr.size == 0:
        raise BayesfitError(f"dataset {name!r}{where}: {what} is empty; give at least one point.")
    bad = np.flatnonzero(~np.isfinite(arr.reshape(arr.shape[0], -1)).all(axis=1))
    if bad.size:
        raise BayesfitError(
            f"dataset {name!r}{where}: {what} has non-finite values at rows {bad[:5].tolist()}"
            f"{' ...' if bad.size > 5 else ''} (0-based); remove or fix those rows."
        )
    return arr


@dataclass(frozen=True)
class Dataset:
    """Observations ``y`` at inputs ``x`` and the forward model ``model(params, x) -> y_pred``.

    Parameters
    ----------
    x, y:
        Inputs and observations (1-D arrays of equal length; ``x`` may be 2-D with one row
        per observation). Stored as float64.
    sigma:
        Known Gaussian noise level (scalar or one per point, units of ``y``), or ``None`` to
        estimate it: the problem then gets a free parameter ``sigma_<name>``.
    model:
        JAX-traceable ``model(params: dict, x) -> y_pred`` with ``y_pred.shape == y.shape``.
    name:
        Identifier (letters, digits, ``_``); names the noise parameter and result variables.
    units:
        ``{"x": "K", "y": "emu/mol"}``; stored in the result attributes.
    where:
        Where the data came from (a file name), used in error messages.
    x_name:
        What ``x`` is (a column name such as ``T_K``), used as the axis label.
    model_sd:
        Optional ``model_sd(params, x) -> sd`` (units of ``y``): the standard deviation of
        the forward model's own error (a stochastic estimate such as FTLM), added in
        quadrature to the noise level in the likelihood.
    """

    x: Any
    y: Any
    sigma: Any = None
    model: ModelFn | None = None
    name: str = "data"
    units: Mapping[str, str] = field(default_factory=dict)
    where: str = ""
    x_name: str = "x"
    model_sd: ModelFn | None = None

    def __post_init__(self):
        if not self.name.isidentifier():
            raise BayesfitError(
                f"dataset name {self.name!r} is not a valid identifier; use letters, digits, _."
            )
        where = f" ({self.where})" if self.where else ""
        x = _as_finite(self.name, "x", self.x, where)
        y = _as_finite(self.name, "y", self.y, where)
        if x.shape[0] != y.shape[0]:
            raise BayesfitError(
                f"dataset {self.name!r}{where}: x has {x.shape[0]} points but y has "
                f"{y.shape[0]}; they must have the same length."
            )
        object.__setattr__(self, "x", x)
        object.__setattr__(self, "y", y)
        if self.sigma is not None:
            s = _as_finite(self.name, "sigma", self.sigma, where)
            if s.size not in (1, y.shape[0]):
                raise BayesfitError(
                    f"dataset {self.name!r}{where}: sigma has {s.size} values; give one value "
                    f"or one per point ({y.shape[0]})."
                )
            if np.any(s <= 0):
                raise BayesfitError(
                    f"dataset {self.name!r}{where}: sigma must be > 0 everywhere (got min "
                    f"{s.min():g}); drop points with zero uncertainty or leave sigma unset."
                )
            object.__setattr__(self, "sigma", s if s.size > 1 else s.reshape(()))
        if self.model is None or not callable(self.model):
            raise BayesfitError(
                f"dataset {self.name!r}: model must be a callable model(params, x) -> y_pred."
            )
        object.__setattr__(self, "units", dict(self.units))

    @property
    def noise_name(self) -> str:
        """Name of the noise parameter when the noise level is estimated."""
        return f"sigma_{self.name}"

    @property
    def n(self) -> int:
        return int(self.y.shape[0])

    def predict(self, params: Mapping[str, Any]):
        """Noise-free prediction at the dataset's own inputs."""
        return jnp.asarray(self.model(params, jnp.asarray(self.x)))
