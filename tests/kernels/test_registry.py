"""The kernel registry: built-in kernels by dotted path, user kernels, clear errors."""

import importlib

import numpy as np
import pytest

import bayesfit as bf
from bayesfit.errors import ModelFileError
from bayesfit.kernels import (
    ForwardModel,
    available_kernels,
    build_kernel,
    get_kernel,
    reject_unknown_keys,
)
from bayesfit.kernels._registry import _REGISTRY


def test_every_builtin_path_resolves_to_a_factory():
    for name, path in _REGISTRY.lazy.items():
        module, _, attr = path.partition(":")
        assert callable(getattr(importlib.import_module(module), attr)), name
    assert {"function", "spin_cluster", "linear_vae_ode", "linear_vae_replica",
            "matrix_game"} <= set(available_kernels())


def test_unknown_kernel_names_the_known_ones():
    with pytest.raises(ModelFileError, match=r"m.toml: unknown kernel 'nope'.*function"):
        get_kernel("nope", where="m.toml")
    with pytest.raises(ModelFileError, match="needs a 'name'"):
        build_kernel({}, where="m.toml")


def test_user_kernel_is_built_with_its_settings():
    seen = {}

    class Scaled:
        def __init__(self, k):
            self.k = k

        def dataset_model(self, options, *, where):
            return ForwardModel(lambda p, x: self.k * p["a"] * x)

        def predictions(self):
            return {}

    def factory(settings, *, where):
        seen["where"] = where
        return Scaled(settings["k"])

    bf.register_kernel("test_scaled", factory)
    try:
        kernel = build_kernel({"name": "test_scaled", "k": 3.0}, where="m.toml")
        assert "test_scaled" in available_kernels() and seen["where"] == "m.toml"
        fm = kernel.dataset_model({}, where="m.toml")
        np.testing.assert_allclose(fm.fn({"a": 2.0}, np.array([1.0, 2.0])), [6.0, 12.0])
        bf.register_kernel("test_scaled", "bayesfit.kernels.function:build")  # by path
        assert get_kernel("test_scaled") is importlib.import_module(
            "bayesfit.kernels.function").build
    finally:
        _REGISTRY.loaded.pop("test_scaled", None)
        _REGISTRY.lazy.pop("test_scaled", None)


def test_unknown_keys_are_named_with_what_is_allowed():
    with pytest.raises(ModelFileError, match=r"m.toml: unknown dataset keys \['b', 'c'\] for "
                                             r"the 'k' kernel; it takes \['a'\]"):
        reject_unknown_keys({"a": 1, "c": 2, "b": 3}, {"a"}, where="m.toml", what="dataset",
                            kernel="k")
    reject_unknown_keys({"a": 1}, ("a", "b"), where="m.toml", what="[kernel]")
