"""Parameter tables of model files -> NumPyro distributions or fixed values.

``J1 = { prior = "Uniform", low = -20, high = 5, units = "meV", init = -8 }`` makes a
free parameter; ``g = { value = 2.1 }`` or ``g = 2.1`` fixes it. ``prior`` is the name of
any ``numpyro.distributions`` class; the other keys are its arguments.
"""

from __future__ import annotations

import inspect
import math
from collections.abc import Mapping
from typing import Any

import numpyro.distributions as dist

from ..errors import ModelFileError
from ..units import check_unit

_META = {"prior", "value", "units", "init", "description"}
#: largest magnitude accepted for a prior argument, a fixed value or an initial value
MAX_ABS = 1e100


def _distribution_class(name: str, where: str):
    cls = getattr(dist, name, None)
    if not (inspect.isclass(cls) and issubclass(cls, dist.Distribution)):
        common = "Uniform, Normal, TruncatedNormal, LogNormal, LogUniform, HalfNormal, Gamma"
        raise ModelFileError(
            f"{where}: unknown prior {name!r}; use a numpyro.distributions name ({common}, ...)."
        )
    return cls


def parse_parameter(name: str, spec: Any, where: str) -> tuple[Any, str, Any]:
    """Return ``(prior or fixed float, units, init or None)`` for one parameter entry."""
    if isinstance(spec, bool):
        raise ModelFileError(f"{where}: parameter {name!r} = {spec!r} is not a number.")
    if isinstance(spec, int | float):
        if not math.isfinite(spec) or abs(spec) > MAX_ABS:
            raise ModelFileError(f"{where}: parameter {name!r} = {spec!r} is not a usable "
                                 f"number (finite, |value| <= {MAX_ABS:g}).")
        return float(spec), "", None
    if not isinstance(spec, Mapping):
        raise ModelFileError(
            f"{where}: parameter {name!r} must be a number (fixed) or a table like "
            "{ prior = \"Uniform\", low = 0, high = 1 }."
        )
    units = check_unit(spec.get("units", ""), what=f"{where}: parameter {name!r}")
    has_prior, has_value = "prior" in spec, "value" in spec
    if has_prior and has_value:
        raise ModelFileError(
            f"{where}: parameter {name!r} is both fixed (value = {spec['value']!r}) and free "
            f"(prior = {spec['prior']!r}); keep one of the two."
        )
    if has_value:
        v = spec["value"]
        if isinstance(v, bool) or not isinstance(v, int | float) or not math.isfinite(v) \
                or abs(v) > MAX_ABS:
            raise ModelFileError(f"{where}: parameter {name!r}: value {v!r} is not a usable "
                                 f"number (finite, |value| <= {MAX_ABS:g}).")
        extra = set(spec) - {"value", "units", "description"}
        if extra:
            raise ModelFileError(
                f"{where}: fixed parameter {name!r} has stray keys {sorted(extra)}."
            )
        return float(v), units, None
    if not has_prior:
        raise ModelFileError(
            f"{where}: parameter {name!r} needs either 'prior' (free) or 'value' (fixed)."
        )
    cls = _distribution_class(str(spec["prior"]), f"{where}: parameter {name!r}")
    kwargs = {k: v for k, v in spec.items() if k not in _META}
    _check_arguments(name, cls.__name__, kwargs, where)
    try:
        prior = cls(**kwargs, validate_args=True)
    except (TypeError, ValueError) as err:
        sig = inspect.signature(cls.__init__)
        args = [p for p in sig.parameters if p not in ("self", "validate_args")]
        raise ModelFileError(
            f"{where}: parameter {name!r}: {cls.__name__}({kwargs}) is invalid ({err}); its "
            f"arguments are {args}."
        ) from None
    init = spec.get("init")
    if init is not None:
        _check_init(name, prior, init, where)
    return prior, units, init


def _check_arguments(name: str, prior: str, kwargs: dict, where: str) -> None:
    """Finite, not absurd, ordered bounds: what NumPyro's own checks let through."""
    for k, v in kwargs.items():
        values = v if isinstance(v, list) else [v]
        for x in values:
            if isinstance(x, bool) or not isinstance(x, int | float):
                continue  # NumPyro names the wrong type itself
            if not math.isfinite(x) or abs(x) > MAX_ABS:
                raise ModelFileError(
                    f"{where}: parameter {name!r}: {prior} {k} = {x!r} is not a usable "
                    f"number (must be finite with |{k}| <= {MAX_ABS:g}); give the bound in "
                    "units where the parameter is of order 1 to 1e6."
                )
    a, b = kwargs.get("low"), kwargs.get("high")
    if isinstance(a, int | float) and isinstance(b, int | float) and not a < b:
        raise ModelFileError(
            f"{where}: parameter {name!r}: {prior} needs low < high, got low = {a!r}, "
            f"high = {b!r}; swap or fix the bounds."
        )


def _check_init(name: str, prior, init: Any, where: str) -> None:
    import jax.numpy as jnp

    ok = isinstance(init, int | float) and not isinstance(init, bool) and math.isfinite(init)
    if not ok:
        raise ModelFileError(f"{where}: parameter {name!r}: init = {init!r} must be a finite "
                             "number.")
    if not bool(jnp.all(prior.support(jnp.asarray(float(init))))):
        lo, hi = _support_bounds(prior)
        raise ModelFileError(
            f"{where}: parameter {name!r}: initial value init = {init!r} lies outside the "
            f"support [{lo}, {hi}] of its {type(prior).__name__} prior; move init inside "
            "the prior or widen the prior."
        )


def _support_bounds(prior) -> tuple[str, str]:
    sup = prior.support
    lo = getattr(sup, "lower_bound", None)
    hi = getattr(sup, "upper_bound", None)
    fmt = lambda v, d: d if v is None else f"{float(v):g}"  # noqa: E731
    return fmt(lo, "-inf"), fmt(hi, "inf")
