"""Observations together with the forward model that predicts them."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import jax.numpy as jnp
import numpy as np

from ..errors import BayesfitError

ModelFn = Callable[[Mapping[str, Any], Any], Any]

#: largest magnitude accepted in x, y and sigma
MAX_ABS = 1e100


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
    big = np.flatnonzero(np.abs(arr.reshape(arr.shape[0], -1)).max(axis=1) > MAX_ABS)
    if big.size:
        raise BayesfitError(
            f"dataset {name!r}{where}: {what} has values beyond +-{MAX_ABS:g} at rows "
            f"{big[:5].tolist()} (0-based), where squares and sums overflow; rescale (other "
            "units) or fix those rows."
        )
    return arr


def check_covariance(cov, n: int, what: str) -> np.ndarray:
    """A symmetric positive-definite ``(n, n)`` float64 matrix, or a BayesfitError."""
    c = np.asarray(cov, dtype=np.float64)
    if c.shape != (n, n):
        raise BayesfitError(f"{what}: covariance has shape {c.shape}; expected ({n}, {n}), "
                            "one row and column per data point.")
    if not np.all(np.isfinite(c)):
        raise BayesfitError(f"{what}: covariance has non-finite entries.")
    scale = max(float(np.max(np.abs(c))), 1e-300)
    if np.max(np.abs(c - c.T)) > 1e-8 * scale:
        raise BayesfitError(f"{what}: covariance is not symmetric (max |C - C^T| = "
                            f"{np.max(np.abs(c - c.T)):.3g}).")
    c = 0.5 * (c + c.T)
    try:
        np.linalg.cholesky(c)
    except np.linalg.LinAlgError:
        w = np.linalg.eigvalsh(c)
        raise BayesfitError(
            f"{what}: covariance is not positive definite (smallest eigenvalue {w[0]:.3g}); "
            "use more bootstrap replicates than points, shrink it towards its diagonal, or "
            "add a jitter term.") from None
    return c


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
    cov:
        Known noise covariance matrix ``(n, n)`` (units of ``y`` squared) for correlated
        noise, e.g. the bootstrap covariance of a curve whose points share data. The
        likelihood is then multivariate normal (see :class:`bayesfit.Problem`). Exclusive
        with ``sigma``.
    jitter:
        With ``cov``: add an estimated independent term ``jitter_<name>**2 * I`` (units of
        ``y``), for scatter the covariance misses (a free parameter with a half-normal
        prior of scale ``sqrt(mean(diag(cov)))`` unless the problem gives one).
    model_sd:
        Optional ``model_sd(params, x) -> sd`` (units of ``y``): the standard deviation of
        the forward model's own error (a stochastic estimate such as FTLM), added in
        quadrature to the noise level in the likelihood.
    adaptive_cost:
        The cost of one model evaluation depends on the parameters (an adaptive ODE solve
        that takes many more steps at some points than at others). Samplers that move many
        points at once (REMC's replicas) then loop over them on a CPU instead of vmapping
        them: a vmapped batch runs every point until the slowest has finished.
    """

    x: Any
    y: Any
    sigma: Any = None
    model: ModelFn | None = None
    name: str = "data"
    units: Mapping[str, str] = field(default_factory=dict)
    where: str = ""
    x_name: str = "x"
    cov: Any = None
    jitter: bool = False
    model_sd: ModelFn | None = None
    adaptive_cost: bool = False

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
        if self.cov is not None:
            object.__setattr__(self, "cov", check_covariance(self.cov, y.shape[0],
                                                             f"dataset {self.name!r}{where}"))
            if self.sigma is not None:
                raise BayesfitError(f"dataset {self.name!r}{where}: give either sigma or cov, "
                                    "not both (put known independent noise on cov's diagonal).")
            if self.model_sd is not None:
                raise BayesfitError(f"dataset {self.name!r}{where}: a covariance matrix (cov) "
                                    "cannot be combined with a stochastic forward model "
                                    "(model_sd, e.g. the FTLM solver); use the exact solver.")
        elif self.jitter:
            raise BayesfitError(f"dataset {self.name!r}{where}: jitter = True needs a "
                                "covariance matrix (cov); without one, leave sigma unset to "
                                "estimate the noise level.")

    @property
    def jitter_name(self) -> str:
        """Name of the estimated jitter parameter of a correlated dataset."""
        return f"jitter_{self.name}"

    @property
    def estimates_sigma(self) -> bool:
        """Whether the problem gets a free noise level ``sigma_<name>``."""
        return self.sigma is None and self.cov is None

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
