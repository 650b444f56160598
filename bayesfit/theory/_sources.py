"""Where each physical parameter of a theory kernel comes from.

A kernel parameter (``rho``, ``beta``, ``log_m0`` ...) takes its value, in this order,
from the dataset's options, the ``[kernel]`` settings, or its default. Each of those may
be a number (the parameter is fixed) or a string (the name of a model parameter, e.g.
``log_m0 = "log_m0_run2"`` gives every run its own nuisance). Without either it is the
model parameter of the same name, or, for parameters with a documented fallback value
(``lam = 0``), that value when the model does not define the parameter.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import jax.numpy as jnp

from ..errors import ModelFileError


@dataclass(frozen=True)
class Source:
    """A parameter's source: ``value`` (fixed) or ``name`` (a model parameter)."""

    name: str | None = None
    value: float | None = None
    fallback: float | None = None

    def __call__(self, params: Mapping[str, Any]):
        if self.value is not None:
            return jnp.asarray(self.value, jnp.float64)
        if self.fallback is not None and self.name not in params:
            return jnp.asarray(self.fallback, jnp.float64)
        return params[self.name]  # a KeyError names the missing parameter for the core


def parse_source(key: str, v: Any, *, where: str, fallback: float | None = None) -> Source:
    """A source from a model-file value: a finite number or a parameter name."""
    if isinstance(v, bool) or not isinstance(v, int | float | str):
        raise ModelFileError(
            f"{where}: {key} = {v!r} must be a number (fixed) or the name of a parameter "
            f'(e.g. {key} = "{key}_run1").'
        )
    if isinstance(v, str):
        if not v.isidentifier():
            raise ModelFileError(f"{where}: {key} = {v!r} is not a valid parameter name.")
        return Source(name=v, fallback=None)
    if not math.isfinite(float(v)):
        raise ModelFileError(f"{where}: {key} = {v!r} must be finite.")
    return Source(value=float(v))


def resolve_sources(
    table: Mapping[str, Any],
    defaults: Mapping[str, float | None],
    *,
    where: str,
    inherited: Mapping[str, Source] | None = None,
) -> dict[str, Source]:
    """Sources of every parameter in ``defaults`` ({name: fallback or None}) from
    ``table`` (options or settings), falling back on ``inherited`` then the defaults."""
    out = {}
    for key, fallback in defaults.items():
        if key in table:
            out[key] = parse_source(key, table[key], where=where)
        elif inherited is not None and key in inherited:
            out[key] = inherited[key]
        else:
            out[key] = Source(name=key, fallback=fallback)
    return out


def choice(table: Mapping[str, Any], key: str, options, default, *, where: str):
    """``table[key]`` if it is one of ``options`` (strings), else a ModelFileError."""
    v = table.get(key, default)
    if v not in options:
        raise ModelFileError(f"{where}: {key} = {v!r}; choose one of {list(options)}.")
    return v


def positive_int(table: Mapping[str, Any], key: str, default, *, where: str):
    v = table.get(key, default)
    if v is None:
        return None
    if isinstance(v, bool) or not isinstance(v, int) or v < 1:
        raise ModelFileError(f"{where}: {key} = {v!r} must be a positive integer.")
    return v


def number_list(table, key, default, length, *, where: str):
    v = table.get(key, default)
    if (
        not isinstance(v, list | tuple)
        or len(v) != length
        or not all(isinstance(a, int | float) and not isinstance(a, bool) for a in v)
    ):
        raise ModelFileError(f"{where}: {key} = {v!r} must be a list of {length} numbers.")
    return [float(a) for a in v]
