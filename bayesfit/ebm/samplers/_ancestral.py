"""Exact ancestral sampling for targets that offer it (e.g. Bernoulli mixtures)."""

from __future__ import annotations

from dataclasses import dataclass

from jax import Array

from .._errors import OptionError


@dataclass(frozen=True)
class Ancestral:
    """Draw iid samples with the target's own ``sample_ancestral`` (any ``n``)."""

    def sample_target(self, target, key: Array, num: int) -> Array:
        if not hasattr(target, "sample_ancestral"):
            raise OptionError(
                f"Ancestral: {type(target).__name__} has no exact ancestral sampler; use "
                "Exact() (n <= 20), Metropolis() or ParallelTempering()."
            )
        return target.sample_ancestral(key, num)
