"""Parallel tempering (replica exchange) for target energies."""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

import jax
import jax.numpy as jnp
from jax import Array

from .._errors import OptionError
from ._metropolis import MetropolisState, _collect, metropolis_init, metropolis_sweep


class PTState(NamedTuple):
    """Replicas ``x`` (``R, C, n``) at factors ``t`` (``R,``), energies (``R, C``) and
    the running count of accepted swaps per adjacent pair (``R-1,``)."""

    x: Array
    energy: Array
    t: Array
    swaps: Array
    sweeps: Array


def pt_init(target, x: Array, t: Array) -> PTState:
    """``x`` is (``R, C, n``); ``t`` (``R,``) increasing, ``t[-1] = 1`` the target."""
    st = metropolis_init(target, x)
    return PTState(x=st.x, energy=st.energy, t=t, swaps=jnp.zeros(t.shape[0] - 1),
                   sweeps=jnp.zeros((), jnp.int64))


def pt_step(key: Array, target, state: PTState) -> PTState:
    """One Metropolis sweep of every replica, then swaps between adjacent factors
    (even pairs on even steps, odd pairs on odd steps), accepted with probability
    ``min(1, exp((t_r - t_{r+1}) (E_r - E_{r+1})))``.

    Reference: K. Hukushima & K. Nemoto, J. Phys. Soc. Jpn. 65, 1604 (1996).
    """
    ks, kx = jax.random.split(key)
    st = metropolis_sweep(ks, target, MetropolisState(state.x, state.energy),
                          state.t[:, None])
    x, e, t = st.x, st.energy, state.t
    R = t.shape[0]
    lo = jnp.arange(R - 1)
    active = (lo % 2) == (state.sweeps % 2)
    log_acc = (t[:-1, None] - t[1:, None]) * (e[:-1] - e[1:])
    u = jax.random.uniform(kx, log_acc.shape)
    swap = (jnp.log(u) < log_acc) & active[:, None]  # (R-1, C)
    # permutation per chain: replica r takes r+1 where pair (r, r+1) swaps, and vice versa
    up = jnp.concatenate([swap, jnp.zeros_like(swap[:1])], axis=0)
    down = jnp.concatenate([jnp.zeros_like(swap[:1]), swap], axis=0)
    src = jnp.arange(R)[:, None] + up.astype(jnp.int64) - down.astype(jnp.int64)
    x = jnp.take_along_axis(x, src[..., None], axis=0)
    e = jnp.take_along_axis(e, src, axis=0)
    return PTState(x=x, energy=e, t=t, swaps=state.swaps + jnp.mean(swap, axis=1),
                   sweeps=state.sweeps + 1)


@dataclass(frozen=True)
class ParallelTempering:
    """Target sampling by replica exchange over a geometric ladder of factors
    ``t`` from ``t_min`` to 1 (each replica samples ``exp(-t E)``).

    Args:
        replicas: number of temperatures.
        t_min: smallest inverse-temperature factor (hot end), in (0, 1).
        chains: independent PT runs.
        burn_in, thin: sweeps discarded / between kept samples.
    """

    replicas: int = 12
    t_min: float = 0.2
    chains: int = 16
    burn_in: int = 500
    thin: int = 5

    def __post_init__(self):
        if self.replicas < 2 or not 0 < self.t_min < 1:
            raise OptionError(f"ParallelTempering: need replicas >= 2, 0 < t_min < 1: {self}")

    def ladder(self) -> Array:
        return jnp.geomspace(self.t_min, 1.0, self.replicas)

    def sample_target(self, target, key: Array, num: int) -> Array:
        opts = self

        @jax.jit
        def run(target, key):
            k0, k1 = jax.random.split(key)
            x0 = jax.random.rademacher(k0, (opts.replicas, opts.chains, target.n),
                                       dtype=jnp.float64)
            kept = _collect(k1, pt_init(target, x0, opts.ladder()),
                            lambda k, st: pt_step(k, target, st), num, opts.chains,
                            opts.burn_in, opts.thin)
            return kept.x[:, -1].reshape((-1, target.n))

        return run(target, key)[:num]
