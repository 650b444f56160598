"""The kernel registry: named forward models that model files can refer to.

A *kernel* turns the ``[kernel]`` table of a model file into forward models for its
datasets. Built-in kernels are registered by dotted path so that importing the registry
never imports physics code (the inference core stays independent of every kernel); users
register their own with :func:`register_kernel`.

Contract (see ``bayesfit/kernels/README.md``)::

    factory(settings: dict, *, where: str) -> Kernel

``settings`` is the ``[kernel]`` table without its ``name`` key; ``where`` names the model
file for error messages. A :class:`Kernel` answers ``dataset_model(options, where=...)``
with a :class:`ForwardModel` for one ``[[datasets]]`` entry (``options`` holds the keys the
core does not own, e.g. ``observable`` or ``temperature_K``) and may offer derived
``predictions()`` evaluated on posterior draws.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from ..errors import ModelFileError

ModelFn = Callable[[Mapping[str, Any], Any], Any]


@dataclass(frozen=True)
class ForwardModel:
    """A JAX-traceable ``fn(params, x) -> y_pred`` with the units of x and y.

    ``validate(dataset) -> [(row or None, message), ...]``, optional, checks that the data
    are physically admissible for the observable (e.g. temperatures > 0, chi*T not
    negative beyond its noise) before anything is fitted; ``row`` is 0-based, the message
    says what is wrong and what to do. An empty list means the data are fine.

    ``sd(params, x)``, when given, is the standard deviation of the model's own error at
    ``x`` (units of y; e.g. the stochastic error of a finite-temperature Lanczos estimate);
    the likelihood adds it in quadrature to the noise of the data.

    ``adaptive_cost``: the cost of one evaluation depends on the parameters (an adaptive ODE
    solve); samplers that evaluate many points at once then loop over them on a CPU
    instead of vmapping, so that no slow point holds a batch hostage
    (:attr:`bayesfit.Dataset.adaptive_cost`).
    """

    fn: ModelFn
    x_units: str = ""
    y_units: str = ""
    description: str = ""
    validate: Callable[[Any], list[tuple[int | None, str]]] | None = None
    sd: ModelFn | None = None
    adaptive_cost: bool = False


@dataclass(frozen=True)
class Prediction:
    """A derived quantity predicted from the posterior (not fitted to data).

    ``fn(params, grid) -> values`` with ``grid`` a 1-D array (or ``None`` for a scalar
    quantity). Evaluated on posterior draws to give credible bands.
    """

    fn: ModelFn
    grid: Any = None
    grid_name: str = ""
    grid_units: str = ""
    units: str = ""
    description: str = ""


class Kernel(Protocol):
    """What a registered kernel provides."""

    def dataset_model(self, options: Mapping[str, Any], *, where: str) -> ForwardModel: ...

    def predictions(self) -> Mapping[str, Prediction]: ...


KernelFactory = Callable[..., Kernel]


@dataclass
class _Registry:
    lazy: dict[str, str] = field(default_factory=dict)
    loaded: dict[str, KernelFactory] = field(default_factory=dict)


_REGISTRY = _Registry(
    lazy={
        "function": "bayesfit.kernels.function:build",
        "spin_cluster": "bayesfit.spin.kernel:build",
        "linear_vae_ode": "bayesfit.theory.kernels:build_linear_vae_ode",
        "linear_vae_replica": "bayesfit.theory.kernels:build_linear_vae_replica",
        "matrix_game": "bayesfit.theory.kernels:build_matrix_game",
        "decay": "bayesfit.sequences._decay:build",
    }
)


def register_kernel(name: str, factory: KernelFactory | str) -> None:
    """Register ``factory`` (a callable or a ``"module:attr"`` path) under ``name``."""
    if isinstance(factory, str):
        _REGISTRY.lazy[name] = factory
        _REGISTRY.loaded.pop(name, None)
    else:
        _REGISTRY.loaded[name] = factory


def available_kernels() -> list[str]:
    """Names of every registered kernel."""
    return sorted(set(_REGISTRY.lazy) | set(_REGISTRY.loaded))


def get_kernel(name: str, *, where: str = "") -> KernelFactory:
    """Return the factory registered as ``name``; a clear error when there is none."""
    if name in _REGISTRY.loaded:
        return _REGISTRY.loaded[name]
    if name not in _REGISTRY.lazy:
        known = ", ".join(available_kernels())
        raise ModelFileError(
            f"{where}: unknown kernel {name!r}. Known kernels: {known}. "
            "Check the spelling of [kernel] name, or register your own with "
            "bayesfit.register_kernel()."
        )
    module, _, attr = _REGISTRY.lazy[name].partition(":")
    factory = getattr(importlib.import_module(module), attr)
    _REGISTRY.loaded[name] = factory
    return factory


def build_kernel(settings: Mapping[str, Any], *, where: str) -> Kernel:
    """Build the kernel described by a model file's ``[kernel]`` table."""
    settings = dict(settings)
    name = settings.pop("name", None)
    if not isinstance(name, str):
        raise ModelFileError(
            f"{where}: [kernel] needs a 'name' (one of {', '.join(available_kernels())})."
        )
    return get_kernel(name, where=where)(settings, where=where)
