"""Bayesian finite-size scaling with a Gaussian-process data collapse.

Scaling law (Harada, PRE 84, 056704 (2011)):

    A_L(T) L^(-c2) / (1 + a L^(-omega)) = f((T - T_c) L^c1),    f ~ GP(m, k_SE),

with ``c1 = 1/nu`` and ``c2`` the observable's exponent over nu (gamma/nu for the
susceptibility, 0 for the Binder cumulant), ``(a, omega)`` an optional correction to
scaling. Given the parameters, the data ``A`` are Gaussian, so the likelihood is the GP
marginal likelihood of the scaled data ``y = A L^-c2 / (1 + a L^-omega)`` with noise
``dA L^-c2 / (1 + a L^-omega)`` *plus the Jacobian* ``-sum log(L^c2 (1 + a L^-omega))``
of the map A -> y, so that posteriors for different c2 compare the same data.

Hyperparameters are relative to the current scaled data: amplitude = ``exp(log_amp)``
x sd(y), length = ``exp(log_length)`` x range(x), and the GP mean is the noise-weighted
mean of y. Priors: uniform T_c, c1, c2 (and omega) on the given ranges, N(0, 1) on
``log_amp``, N(log 0.3, 1) on ``log_length``, N(0, 1) on ``a``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import jax.numpy as jnp
import numpy as np
import numpyro.distributions as dist

from . import _gp
from ._posterior import SamplerOptions, sample
from ._table import FSSTable


@dataclass(frozen=True)
class Correction:
    """Correction to scaling ``(1 + a L^-omega)``: ``omega`` fixed, or sampled uniformly
    in ``omega_range`` when ``omega`` is None; ``a ~ N(0, a_scale)``."""

    omega: float | None = None
    omega_range: tuple[float, float] = (0.5, 3.0)
    a_scale: float = 1.0


@dataclass(frozen=True)
class ScalingPriors:
    """Uniform prior ranges. ``tc=None`` means the temperature range of the data;
    ``c2`` may be a float (held fixed, e.g. 0 for a Binder cumulant)."""

    tc: tuple[float, float] | None = None
    c1: tuple[float, float] = (0.0, 3.0)
    c2: tuple[float, float] | float = (-1.0, 3.0)


@dataclass(frozen=True)
class FSSModel:
    """The scaling model: priors, an optional correction, and ``scaling=False`` for the
    no-scaling alternative ``A_L(T) = f(T)`` (same GP, no size dependence)."""

    priors: ScalingPriors = field(default_factory=ScalingPriors)
    correction: Correction | None = None
    scaling: bool = True


def _prior_dists(model: FSSModel, table: FSSTable) -> dict:
    p = model.priors
    out = {}
    if model.scaling:
        tc = p.tc if p.tc is not None else (table.temperature.min(), table.temperature.max())
        out["tc"] = dist.Uniform(*tc)
        out["c1"] = dist.Uniform(*p.c1)
        if not isinstance(p.c2, int | float):
            out["c2"] = dist.Uniform(*p.c2)
    out["log_amp"] = dist.Normal(0.0, 1.0)
    out["log_length"] = dist.Normal(np.log(0.3), 1.0)
    if model.scaling and model.correction is not None:
        out["a"] = dist.Normal(0.0, model.correction.a_scale)
        if model.correction.omega is None:
            out["omega"] = dist.Uniform(*model.correction.omega_range)
    return out


def scaled_data(theta: dict, table: FSSTable, model: FSSModel):
    """``(x, y, e, log_jacobian)`` of the collapse for parameters ``theta``."""
    size = jnp.asarray(table.size)
    temp = jnp.asarray(table.temperature)
    a, da = jnp.asarray(table.value), jnp.asarray(table.error)
    if not model.scaling:
        return temp, a, da, jnp.zeros(())
    c2 = theta.get("c2", model.priors.c2)
    log_factor = c2 * jnp.log(size)
    if model.correction is not None:
        omega = theta.get("omega", model.correction.omega)
        log_factor = log_factor + jnp.log1p(theta["a"] * size ** (-omega))
    factor = jnp.exp(-log_factor)
    x = (temp - theta["tc"]) * size ** theta["c1"]
    return x, a * factor, da * factor, -jnp.sum(log_factor)


def hyper(theta: dict, x, y, e):
    """GP amplitude, length scale and mean for the scaled data."""
    w = 1.0 / e**2
    mean = jnp.sum(w * y) / jnp.sum(w)
    amp = jnp.exp(theta["log_amp"]) * jnp.sqrt(jnp.mean((y - jnp.mean(y)) ** 2) + 1e-300)
    length = jnp.exp(theta["log_length"]) * (jnp.max(x) - jnp.min(x) + 1e-300)
    return amp, length, mean


def log_likelihood(theta: dict, table: FSSTable, model: FSSModel):
    """``log p(A | theta)``: GP marginal likelihood of the collapse plus the Jacobian."""
    x, y, e, log_jac = scaled_data(theta, table, model)
    amp, length, mean = hyper(theta, x, y, e)
    return _gp.log_marginal(x, y, e**2, amp, length, mean) + log_jac


def _key(name: str, i: int, n: int, shared) -> str:
    return name if (n == 1 or name in shared) else f"{name}_{i}"


def _joint_priors(tables, models, shared) -> dict:
    out = {}
    for i, (t, m) in enumerate(zip(tables, models, strict=False)):
        for name, d in _prior_dists(m, t).items():
            out.setdefault(_key(name, i, len(tables), shared), d)
    return out


@dataclass
class FSSResult:
    """Posterior draws ``{name: (chain, draw)}`` of a finite-size-scaling fit.

    With several tables (:func:`fit_fss_joint`), parameters not in ``shared`` carry the
    table index as suffix (``c2_1``); :meth:`theta` returns one table's parameters.
    """

    tables: list
    models: list
    shared: tuple
    draws: dict
    divergences: int
    options: SamplerOptions

    @property
    def table(self) -> FSSTable:
        return self.tables[0]

    def flat(self, name: str) -> np.ndarray:
        return self.draws[name].reshape(-1)

    def interval(self, name: str, prob: float = 0.95) -> tuple[float, float]:
        """Equal-tailed credible interval of ``name``."""
        q = (1.0 - prob) / 2.0
        v = self.flat(name)
        return float(np.quantile(v, q)), float(np.quantile(v, 1.0 - q))

    def median(self) -> dict:
        return {k: float(np.median(v)) for k, v in self.draws.items()}

    def theta(self, values: dict, i: int = 0) -> dict:
        """The parameters of table ``i`` (suffix removed) from a dict of all parameters."""
        n = len(self.tables)
        names = _prior_dists(self.models[i], self.tables[i])
        return {k: values[_key(k, i, n, self.shared)] for k in names}

    def to_datatree(self):
        """The posterior as an ArviZ ``xarray.DataTree``: the ``posterior`` group, and one
        ``fss_data_<i>`` group per table (L, T, A, dA by row) with the settings in the
        root attributes (T_c in the unit of T; c1, c2 dimensionless)."""
        import xarray as xr
        from arviz_base import from_dict

        tree = from_dict({"posterior": dict(self.draws)})
        for i, t in enumerate(self.tables):
            tree[f"fss_data_{i}"] = xr.DataTree(xr.Dataset(
                {"L": ("row", t.size), "T": ("row", t.temperature), "A": ("row", t.value),
                 "dA": ("row", t.error)}))
        tree.attrs.update({
            "fss_shared": ",".join(self.shared), "fss_tables": len(self.tables),
            "fss_divergences": int(self.divergences), "fss_options": repr(self.options),
            "fss_models": repr(self.models),
            "units": "tc: unit of the table's T; c1 = 1/nu, c2: dimensionless"})
        return tree

    def save(self, path) -> Path:
        """Write :meth:`to_datatree` as netCDF, atomically (an interrupted write leaves
        the previous file or none), with :meth:`diagnostics` recorded in its attrs as
        ``bayesfit fit`` records them (``diagnostics_failed``, ``diagnostics_ok``)."""
        from .._atomic import write_atomic
        from ..results._checks import ATTR

        tree = self.to_datatree()
        failed = self.diagnostics()
        tree.attrs.update({ATTR: json.dumps(failed), "diagnostics_ok": int(not failed)})
        return write_atomic(path, lambda p: tree.to_netcdf(p, engine="h5netcdf"))

    def diagnostics(self) -> list[str]:
        """Failed checks as ``"check: message"`` (empty when all pass): the checks of every
        fit (:func:`bayesfit.results._checks.check_diagnostics`: R-hat above 1.01 with
        several chains, bulk ESS below 100 per chain) and divergent transitions."""
        from ..results._checks import Failure, check_diagnostics

        out = [str(f) for f in check_diagnostics(self.to_datatree())]
        if self.divergences:
            out.append(str(Failure(
                "divergences", f"{self.divergences} divergent transition(s): the collapse "
                "posterior has regions NUTS cannot follow; narrow the prior ranges (--tc) "
                "or raise the warm-up.")))
        return out

    def summary(self):
        """``arviz.summary`` of the posterior (mean, sd, HDI, ESS, R-hat)."""
        import arviz

        return arviz.summary(self.to_datatree())

    def collapse(self, i: int = 0, values: dict | None = None):
        """``(x, y, e)`` of the data collapse of table ``i`` (default: posterior medians)."""
        th = self.theta(self.median() if values is None else values, i)
        th = {k: jnp.asarray(v) for k, v in th.items()}
        x, y, e, _ = scaled_data(th, self.tables[i], self.models[i])
        return np.asarray(x), np.asarray(y), np.asarray(e)

    def band(self, x_new, i: int = 0, values: dict | None = None):
        """GP posterior mean and sd of f at ``x_new`` (default: posterior medians)."""
        th = self.theta(self.median() if values is None else values, i)
        th = {k: jnp.asarray(v) for k, v in th.items()}
        x, y, e, _ = scaled_data(th, self.tables[i], self.models[i])
        amp, length, mean = hyper(th, x, y, e)
        mu, var = _gp.predict(x, y, e**2, amp, length, mean, jnp.asarray(x_new))
        return np.asarray(mu), np.sqrt(np.asarray(var))


def fit_fss_joint(tables, models=None, shared=("tc", "c1"),
                  options: SamplerOptions | None = None) -> FSSResult:
    """One posterior for several tables whose collapses share the parameters ``shared``.

    E.g. a Binder cumulant (``c2 = 0``) and a susceptibility of the same system share
    T_c and c1 = 1/nu; each table keeps its own c2 and GP hyperparameters. With
    ``shared=()`` the tables are independent and the posterior is a product (one NUTS
    run for many data sets).
    """
    tables = list(tables)
    models = [FSSModel()] * len(tables) if models is None else list(models)
    options = SamplerOptions() if options is None else options
    shared = tuple(shared)
    n = len(tables)
    priors = _joint_priors(tables, models, shared)
    names = [list(_prior_dists(m, t)) for t, m in zip(tables, models, strict=False)]

    def loglik(theta):
        total = 0.0
        for i, (t, m) in enumerate(zip(tables, models, strict=False)):
            th = {k: theta[_key(k, i, n, shared)] for k in names[i]}
            total = total + log_likelihood(th, t, m)
        return total

    parts = None
    if not shared and n > 1:
        parts = [([_key(k, i, n, shared) for k in names[i]],
                  (lambda th, i=i: log_likelihood({k: th[_key(k, i, n, shared)]
                                                   for k in names[i]}, tables[i], models[i])))
                 for i in range(n)]
    draws, div = sample(priors, loglik, options, parts)
    return FSSResult(tables, models, shared, draws, div, options)


def fit_fss(table: FSSTable, model: FSSModel | None = None,
            options: SamplerOptions | None = None) -> FSSResult:
    """Posterior of (T_c, c1 = 1/nu, c2) and GP hyperparameters by NUTS.

    ``table``: :class:`FSSTable` (L, T, A, dA). ``model``: :class:`FSSModel` (priors,
    correction, or ``scaling=False``). ``options``: :class:`SamplerOptions` (seeded).
    T_c comes out in the unit of T; c1 and c2 are dimensionless.
    Reference: K. Harada, Phys. Rev. E 84, 056704 (2011).
    """
    return fit_fss_joint([table], [FSSModel() if model is None else model], (), options)
