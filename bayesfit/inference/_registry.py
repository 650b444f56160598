"""Method names (as written in model files and on the command line) -> method classes.

The one place where strings become option objects. Later methods plug in with
:func:`register_method` and are at once available to ``bayesfit fit --method``.
"""

from __future__ import annotations

import dataclasses
import importlib
from typing import Any

from ..errors import BayesfitError

_METHODS: dict[str, Any] = {
    "map": "bayesfit.inference._map:MAP",
    "nuts": "bayesfit.inference._nuts:NUTS",
    "emcee": "bayesfit.inference._emcee:Emcee",
    "remc": "bayesfit.inference.remc:REMC",
}


def register_method(name: str, cls: Any) -> None:
    """Make ``cls`` (a dataclass with ``run``; or ``"module:Class"``) available as ``name``."""
    _METHODS[name] = cls


def available_methods() -> list[str]:
    return sorted(_METHODS)


def method_class(name: str):
    """The class registered under ``name``."""
    if name not in _METHODS:
        raise BayesfitError(
            f"unknown inference method {name!r}; choose one of {', '.join(available_methods())}."
        )
    cls = _METHODS[name]
    if isinstance(cls, str):
        module, _, attr = cls.partition(":")
        cls = getattr(importlib.import_module(module), attr)
        _METHODS[name] = cls
    return cls


def make_method(name: str, options: dict[str, Any] | None = None, *, where: str = ""):
    """Build the method ``name`` from a dict of options, naming any unknown option."""
    cls = method_class(name)
    options = dict(options or {})
    known = {f.name for f in dataclasses.fields(cls)} if dataclasses.is_dataclass(cls) else set()
    unknown = sorted(set(options) - known)
    if unknown:
        raise BayesfitError(
            f"{where + ': ' if where else ''}method {name!r} has no option(s) {unknown}; "
            f"its options are {sorted(known)}."
        )
    try:
        return cls(**options)
    except (TypeError, ValueError) as err:
        raise BayesfitError(f"{where + ': ' if where else ''}method {name!r}: {err}") from None
