"""Method names (as written in model files and on the command line) -> method classes.

The one place where strings become option objects. Later methods plug in with
:func:`register_method` and are at once available to ``bayesfit fit --method``.
"""

from __future__ import annotations

import importlib
from typing import Any

from ..errors import BayesfitError
from ._method import Method

_METHODS: dict[str, Any] = {
    "map": "bayesfit.inference._map:MAP",
    "nuts": "bayesfit.inference._nuts:NUTS",
    "emcee": "bayesfit.inference._emcee:Emcee",
    "remc": "bayesfit.inference.remc:REMC",
}


def register_method(name: str, cls: Any) -> None:
    """Make ``cls`` (a subclass of :class:`bayesfit.inference.Method`, or its
    ``"module:Class"`` path, imported on first use) available as ``name``."""
    if not isinstance(cls, str) and not (isinstance(cls, type) and issubclass(cls, Method)):
        raise BayesfitError(
            f"register_method({name!r}, ...): expected a subclass of "
            f"bayesfit.inference.Method or a 'module:Class' path, got {cls!r}.")
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
        if not (isinstance(cls, type) and issubclass(cls, Method)):
            raise BayesfitError(f"method {name!r}: {_METHODS[name]} is not a subclass of "
                                "bayesfit.inference.Method.")
        _METHODS[name] = cls
    return cls


def make_method(name: str, options: dict[str, Any] | None = None, *, where: str = ""):
    """Build the method ``name`` from a dict of options, naming any unknown option."""
    cls = method_class(name)
    options = dict(options or {})
    known = set(cls.option_names())
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
