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
        if isinstance(v, bool) or not isinstance(v, int | float) or not math.isfinite(v):
            raise ModelFileError(f"{where}: parameter {name!r}: value {v!r} is not a number.")
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
    try:
        prior = cls(**kwargs, validate_args=True)
    except (TypeError, ValueError) as err:
        sig = inspect.signature(cls.__init__)
        args = [p for p in sig.parameters if p not in ("self", "validate_args")]
        raise ModelFileError(
            f"{where}: parameter {name!r}: {cls.__name__}({kwargs}) is invalid ({err}); its "
            f"arguments are {args}."
        ) from None
    return prior, units, spec.get("init")
