"""Exact enumeration used as a sampler: iid target samples, exact model expectations."""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

import jax
import jax.numpy as jnp
from jax import Array

from .._rbm import RBM, RBMParams
from .._samples import Samples
from .._states import DEFAULT_MAX_BYTES, check_enumerable, index_to_spins, sample_indices


class ExactState(NamedTuple):
    """Exact expectations need no state."""


@dataclass(frozen=True)
class Exact:
    """Exact enumeration of all ``2**n`` states (n up to ~20).

    As a target sampler it draws iid samples from the enumerated ``p``. As the model
    sampler of :func:`bayesfit.ebm.fit` it returns all visible states weighted by the
    current ``q``, so objectives see exact model expectations (no sampling error).

    Args:
        max_bytes: memory budget of the enumeration; larger problems are refused. For
            training the budget is checked per run: ``fit`` over R objectives x seeds
            holds R copies of the ``2**n x (n + m)`` tables, so keep ``n`` small (the
            study uses PCD and enumerates only for the metrics).
    """

    max_bytes: int = DEFAULT_MAX_BYTES

    def sample_target(self, target, key: Array, num: int) -> Array:
        enum = target.enumerate(max_bytes=self.max_bytes)
        idx = sample_indices(key, enum.log_p, num)
        return index_to_spins(idx, target.n)

    # model-sampler protocol used by fit()
    def init_state(self, key: Array, rbm: RBM, data: Samples) -> ExactState:
        check_enumerable(rbm.n_visible, what="RBM visible layer (Exact model expectations)",
                         max_bytes=self.max_bytes, values_per_state=rbm.n_visible
                         + rbm.n_hidden + 4)
        return ExactState()

    def step(self, key: Array, rbm: RBM, params: RBMParams,
             state: ExactState) -> tuple[ExactState, Samples]:
        x = index_to_spins(jnp.arange(2**rbm.n_visible, dtype=jnp.int64), rbm.n_visible)
        u = rbm.log_unnormalised(params, x)
        return state, Samples(x=x, w=jax.nn.softmax(u))
