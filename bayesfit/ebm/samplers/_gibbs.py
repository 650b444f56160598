"""Block Gibbs sampling of the RBM and persistent contrastive divergence (PCD) chains."""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

import jax
import jax.numpy as jnp
from jax import Array

from .._errors import OptionError
from .._rbm import RBM, RBMParams
from .._samples import Samples


def gibbs_sweep(key: Array, rbm: RBM, params: RBMParams, s: Array) -> Array:
    """One block-Gibbs sweep ``s -> h ~ P(h|s) -> s' ~ P(s|h)`` for spins (``..., n``).

    Leaves the RBM marginal ``q(s)`` invariant.
    """
    kh, kv = jax.random.split(key)
    h = rbm.sample_hidden(kh, params, s)
    return rbm.sample_visible(kv, params, h)


def gibbs(key: Array, rbm: RBM, params: RBMParams, s: Array, k: int) -> Array:
    """``k`` block-Gibbs sweeps (a ``fori_loop``; traceable).

    All uniforms of the ``k`` sweeps are drawn in one float32 call (one random number
    per unit per sweep), which is several times faster on CPU than ``k`` calls; the
    float32 resolution (2**-24) of the acceptance thresholds is far below Monte Carlo
    error. (``rbg`` keys are slower here under ``vmap`` on CPU; keep threefry keys.)
    """
    m = rbm.n_hidden
    u = jax.random.uniform(key, (k,) + s.shape[:-1] + (m + rbm.n_visible,), jnp.float32)

    def body(i, s):
        ui = u[i].astype(s.dtype)
        h = (ui[..., :m] < rbm.hidden_prob(params, s)).astype(s.dtype)
        return jnp.where(ui[..., m:] < rbm.visible_prob(params, h), 1.0, -1.0).astype(s.dtype)

    return jax.lax.fori_loop(0, k, body, s)


class PCDState(NamedTuple):
    """Persistent chains (``chains, n``)."""

    x: Array


@dataclass(frozen=True)
class PCD:
    """Model expectations from persistent block-Gibbs chains (Tieleman 2008).

    Each training step advances ``chains`` persistent chains by ``k`` sweeps under the
    current parameters and uses them, with uniform weights, as model samples.

    Args:
        chains: number of persistent chains.
        k: Gibbs sweeps per training step.
        init: ``"uniform"`` (random spins) or ``"data"`` (chains start on training data).

    Reference: T. Tieleman, ICML 2008, "Training restricted Boltzmann machines using
    approximations to the likelihood gradient".
    """

    chains: int = 256
    k: int = 10
    init: str = "uniform"

    def __post_init__(self):
        if self.chains < 2 or self.k < 1:
            raise OptionError(f"PCD: need chains >= 2 and k >= 1, got {self}.")
        if self.init not in ("uniform", "data"):
            raise OptionError(f"PCD: init must be 'uniform' or 'data', got {self.init!r}.")

    def init_state(self, key: Array, rbm: RBM, data: Samples) -> PCDState:
        if self.init == "data":
            idx = jax.random.choice(key, data.x.shape[0], (self.chains,), p=data.w)
            return PCDState(x=data.x[idx])
        x = jax.random.rademacher(key, (self.chains, rbm.n_visible), dtype=jnp.float64)
        return PCDState(x=x)

    def step(self, key: Array, rbm: RBM, params: RBMParams,
             state: PCDState) -> tuple[PCDState, Samples]:
        x = gibbs(key, rbm, params, state.x, self.k)
        return PCDState(x=x), Samples(x=x, w=jnp.full(self.chains, 1.0 / self.chains))
