"""Single-spin-flip Metropolis sampling of a target energy."""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

import jax
import jax.numpy as jnp
from jax import Array

from .._errors import OptionError


class MetropolisState(NamedTuple):
    """Chains ``x`` (``..., n``) and their dimensionless energies ``energy`` (``...``)."""

    x: Array
    energy: Array


def metropolis_init(target, x: Array) -> MetropolisState:
    return MetropolisState(x=x, energy=target.energy(x))


def metropolis_sweep(key: Array, target, state: MetropolisState,
                     t: Array | float = 1.0) -> MetropolisState:
    """One sequential sweep of single-spin-flip Metropolis at inverse-temperature factor
    ``t`` (the chain targets ``exp(-t E)``; ``t`` broadcasts against the chain axes).

    Each flip re-evaluates the full energy, so a sweep costs ``n`` energy evaluations;
    generic for any target, O(n**3) per sweep for dense couplings.

    Reference: N. Metropolis et al., J. Chem. Phys. 21, 1087 (1953).
    """
    n = state.x.shape[-1]
    t = jnp.asarray(t)

    def body(i, st):
        x_new = st.x.at[..., i].multiply(-1.0)
        e_new = target.energy(x_new)
        u = jax.random.uniform(jax.random.fold_in(key, i), st.energy.shape)
        accept = jnp.log(u) < -t * (e_new - st.energy)
        return MetropolisState(
            x=jnp.where(accept[..., None], x_new, st.x),
            energy=jnp.where(accept, e_new, st.energy),
        )

    return jax.lax.fori_loop(0, n, body, state)


def _collect(key, state, advance, num, chains, burn_in, thin):
    """Burn in, then keep every ``thin``-th sweep until ``num`` samples exist."""
    per_chain = -(-num // chains)
    kb, ks = jax.random.split(key)

    def burn(st, k):
        return advance(k, st), None

    state, _ = jax.lax.scan(burn, state, jax.random.split(kb, burn_in))

    def keep(st, k):
        st, _ = jax.lax.scan(burn, st, jax.random.split(k, thin))
        return st, st

    _, kept = jax.lax.scan(keep, state, jax.random.split(ks, per_chain))
    return kept


@dataclass(frozen=True)
class Metropolis:
    """Target sampling by independent single-spin-flip Metropolis chains.

    Args:
        chains: independent chains (samples are spread evenly over them).
        burn_in: sweeps discarded per chain.
        thin: sweeps between kept samples.
    """

    chains: int = 64
    burn_in: int = 500
    thin: int = 5

    def __post_init__(self):
        if self.chains < 1 or self.burn_in < 0 or self.thin < 1:
            raise OptionError(f"Metropolis: need chains >= 1, burn_in >= 0, thin >= 1: {self}")

    def sample_target(self, target, key: Array, num: int) -> Array:
        return _metropolis_samples(self, target, key, num)


def _metropolis_samples(opts: Metropolis, target, key, num):
    @jax.jit
    def run(target, key):
        k0, k1 = jax.random.split(key)
        x0 = jax.random.rademacher(k0, (opts.chains, target.n), dtype=jnp.float64)
        kept = _collect(k1, metropolis_init(target, x0),
                        lambda k, st: metropolis_sweep(k, target, st), num, opts.chains,
                        opts.burn_in, opts.thin)
        return kept.x.reshape((-1, target.n))

    return run(target, key)[:num]
