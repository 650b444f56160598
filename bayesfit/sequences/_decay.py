"""Decay models of a correlation curve, in log space, each with an estimator-bias floor.

The data are ``y_r = ln I(r)`` (MI or |correlation| after the shuffled baseline); every
model is ``y = ln(g(r) + c)`` with ``c >= 0`` the floor a biased estimator leaves:

============  =====================================  ======================
name          g(r)                                    parameters
============  =====================================  ======================
power         A r^-alpha                              A, alpha, c
exponential   A exp(-r / xi)                          A, xi, c
power_cutoff  A r^-alpha exp(-r / xi)                 A, alpha, xi, c
power_exp     A r^-alpha + B exp(-r / xi)             A, alpha, B, xi, c
stretched     A exp(-(r / xi)^beta)                   A, xi, beta, c
============  =====================================  ======================

``r`` in the units of the distance (positions or tree edges), ``xi`` too; ``A``, ``B``,
``c`` in the units of the statistic (nats for MI); ``alpha``, ``beta`` dimensionless. The
composite ``power_exp`` is the model of automutualinformation (Sainburg et al. 2019).
Usable from model files as the kernel ``decay`` (dataset key ``decay = "power"``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import jax.numpy as jnp
import numpyro.distributions as dist

from ..errors import BayesfitError, ModelFileError
from ..kernels import ForwardModel


def _log_power(p, r):
    return jnp.log(p["A"]) - p["alpha"] * jnp.log(r)


def _log_exponential(p, r):
    return jnp.log(p["A"]) - r / p["xi"]


def _log_power_cutoff(p, r):
    return jnp.log(p["A"]) - p["alpha"] * jnp.log(r) - r / p["xi"]


def _log_power_exp(p, r):
    return jnp.logaddexp(jnp.log(p["A"]) - p["alpha"] * jnp.log(r),
                         jnp.log(p["B"]) - r / p["xi"])


def _log_stretched(p, r):
    return jnp.log(p["A"]) - (r / p["xi"]) ** p["beta"]


_LOG_G = {"power": _log_power, "exponential": _log_exponential,
          "power_cutoff": _log_power_cutoff, "power_exp": _log_power_exp,
          "stretched": _log_stretched}
PARAMETERS = {"power": ("A", "alpha", "c"), "exponential": ("A", "xi", "c"),
              "power_cutoff": ("A", "alpha", "xi", "c"),
              "power_exp": ("A", "alpha", "B", "xi", "c"),
              "stretched": ("A", "xi", "beta", "c")}
DECAY_MODELS = tuple(_LOG_G)


def decay_model(name: str, scale: str = "log"):
    """``fn(params, r) -> ln(g(r) + c)`` of the decay model ``name`` (JAX-traceable);
    ``scale="linear"`` gives ``g(r) + c`` instead (for curves whose tail is noise around
    zero, which a log cannot take)."""
    if name not in _LOG_G:
        raise BayesfitError(f"decay model {name!r} is not known; use one of {DECAY_MODELS}.")
    if scale not in ("log", "linear"):
        raise BayesfitError(f"scale = {scale!r}; use 'log' or 'linear'.")
    log_g = _LOG_G[name]

    def fn(params, r):
        r = jnp.asarray(r, dtype=jnp.float64)
        out = jnp.logaddexp(log_g(params, r), jnp.log(params["c"]))
        return out if scale == "log" else jnp.exp(out)

    fn.__name__ = f"{scale}_{name}_with_floor"
    return fn


def default_priors(name: str, r, y, scale: str = "log") -> dict[str, dist.Distribution]:
    """Weakly informative priors (spec sequences.md 4.2) from the data ``y = ln I(r)``
    (or ``y = I(r)`` with ``scale="linear"``, where ``c ~ HalfNormal(I(r_max) + sd(tail))``):
    ``A, B ~ LogNormal(y_1, 2)``, ``alpha ~ HalfNormal(2)``,
    ``xi ~ LogNormal(ln(r_max / 4), 2)``, ``beta ~ Uniform(0.05, 1)``,
    ``c ~ HalfNormal(I(r_max))`` (a floor no larger than the smallest kept value)."""
    import numpy as np

    y = np.asarray(y, dtype=float)
    r = np.asarray(r, dtype=float)
    floor = None
    if scale == "linear":
        tail = y[len(y) // 2:]
        floor = float(abs(np.mean(tail)) + np.std(tail) + 1e-12)
        y = np.log(np.maximum(y, floor))
    table = {
        "A": dist.LogNormal(float(y[0]), 2.0),
        "B": dist.LogNormal(float(y[0]), 2.0),
        "alpha": dist.HalfNormal(2.0),
        "xi": dist.LogNormal(float(np.log(r.max() / 4)), 2.0),
        "beta": dist.Uniform(0.05, 1.0),
        "c": dist.HalfNormal(floor if floor else float(np.exp(y.min()))),
    }
    return {k: table[k] for k in PARAMETERS[name]}


#: dataset keys of the ``decay`` kernel (it has no [kernel] settings)
OPTIONS = ("decay", "scale", "x_units", "y_units")
SETTINGS: tuple[str, ...] = ()


class DecayKernel:
    """The ``decay`` kernel: every dataset names its model with ``decay = "..."``."""

    def dataset_model(self, options: Mapping[str, Any], *, where: str) -> ForwardModel:
        options = dict(options)
        name = options.pop("decay", None)
        scale = options.pop("scale", "log")
        xu = options.pop("x_units", "")
        yu = options.pop("y_units", "")
        if name not in _LOG_G:
            raise ModelFileError(f"{where}: the 'decay' kernel needs decay = one of "
                                 f"{list(DECAY_MODELS)}; got {name!r}.")
        if scale not in ("log", "linear"):
            raise ModelFileError(f"{where}: scale = {scale!r}; use 'log' (y = ln I) or "
                                 "'linear' (y = I).")
        if options:
            raise ModelFileError(f"{where}: unknown dataset keys {sorted(options)} for the "
                                 "'decay' kernel (it takes decay, scale, x_units, y_units).")
        return ForwardModel(decay_model(name, scale), xu, yu,
                            f"ln(g(r) + c), g = {name}; parameters {PARAMETERS[name]}")

    def predictions(self):
        return {}


def build(settings: Mapping[str, Any], *, where: str) -> DecayKernel:
    """Kernel factory registered as ``decay``."""
    if settings:
        raise ModelFileError(f"{where}: the 'decay' kernel takes no [kernel] settings; got "
                             f"{sorted(settings)}.")
    return DecayKernel()
