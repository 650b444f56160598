"""Annealed importance sampling (AIS) of log partition functions.

RBM (:func:`ais_log_Z`): the path of Salakhutdinov & Murray (2008) between a product
base ``f_0(s, h) = exp(a0.s)`` and the RBM joint, tempering the RBM energy:

    log f_t(s, h) = (1 - t) a0.s + t (a.s + b.h + h.W s),
    log f_t(s)    = ((1 - t) a0 + t a).s + sum_j softplus(t (b_j + W_j.s)),

with ``log Z_0 = m log 2 + sum_i log 2 cosh(a0_i)`` and block-Gibbs transitions at each
``t``. Target (:func:`ais_log_Z_target`): ``f_t = exp(-t E)`` from the uniform
distribution (``log Z_0 = n log 2``) with Metropolis transitions.

The estimate is ``log Z = log Z_0 + log mean exp(log w)``; ``stderr`` is the delta-method
standard error ``sd(w) / (mean(w) sqrt(C))``. AIS is unbiased in ``Z`` and biased low in
``log Z`` (Jensen).

References: R. M. Neal, Stat. Comput. 11, 125 (2001); R. Salakhutdinov & I. Murray,
ICML 2008.
"""

from __future__ import annotations

from functools import partial
from typing import NamedTuple

import jax
import jax.numpy as jnp
from jax import Array

from ._rbm import RBM, RBMParams, _log2cosh
from .samplers._metropolis import MetropolisState, metropolis_sweep


class AISResult(NamedTuple):
    """``log_Z`` estimate (nats), its delta-method ``stderr`` and the per-chain
    ``log_weights`` (``C,``)."""

    log_Z: Array
    stderr: Array
    log_weights: Array


def _finish(log_Z0, log_w) -> AISResult:
    c = log_w.shape[0]
    lme = jax.nn.logsumexp(log_w) - jnp.log(c)
    w = jnp.exp(log_w - jnp.max(log_w))
    se = jnp.std(w) / (jnp.mean(w) * jnp.sqrt(c))
    return AISResult(log_Z=log_Z0 + lme, stderr=se, log_weights=log_w)


def _rbm_log_f(params: RBMParams, a0: Array, t, s: Array) -> Array:
    field = (1.0 - t) * a0 + t * params.a
    return s @ field + jnp.sum(jax.nn.softplus(t * (s @ params.W.T + params.b)), axis=-1)


@partial(jax.jit, static_argnames=("rbm", "steps", "chains"))
def _ais_rbm(rbm: RBM, params: RBMParams, key: Array, a0: Array, steps: int, chains: int):
    ts = jnp.linspace(0.0, 1.0, steps + 1)
    k0, kr = jax.random.split(key)
    up = jax.random.bernoulli(k0, jax.nn.sigmoid(2.0 * a0), (chains, rbm.n_visible))
    s = jnp.where(up, 1.0, -1.0)

    def body(carry, inp):
        s, log_w = carry
        t_prev, t, k = inp
        log_w = log_w + _rbm_log_f(params, a0, t, s) - _rbm_log_f(params, a0, t_prev, s)
        kh, kv = jax.random.split(k)
        h = jax.random.bernoulli(kh, jax.nn.sigmoid(t * (s @ params.W.T + params.b)))
        field = (1.0 - t) * a0 + t * (h.astype(s.dtype) @ params.W + params.a)
        s = jnp.where(jax.random.bernoulli(kv, jax.nn.sigmoid(2.0 * field)), 1.0, -1.0)
        return (s, log_w), None

    (s, log_w), _ = jax.lax.scan(body, (s, jnp.zeros(chains)),
                                 (ts[:-1], ts[1:], jax.random.split(kr, steps)))
    log_Z0 = rbm.n_hidden * jnp.log(2.0) + jnp.sum(_log2cosh(a0))
    return _finish(log_Z0, log_w)


def ais_log_Z(rbm: RBM, params: RBMParams, key: Array, *, steps: int = 2000,
              chains: int = 256, base_field: Array | None = None) -> AISResult:
    """AIS estimate of the RBM's ``log Z_q`` (nats).

    Args:
        rbm, params: the model.
        key: PRNG key.
        steps: number of intermediate temperatures (linear in ``t``).
        chains: independent annealing runs.
        base_field: ``a0`` (``n,``) of the product base; default the RBM's own ``a``.
    """
    rbm.check_params(params)
    a0 = params.a if base_field is None else jnp.asarray(base_field, dtype=jnp.float64)
    return _ais_rbm(rbm, params, key, a0, steps, chains)


@partial(jax.jit, static_argnames=("steps", "chains", "sweeps"))
def _ais_target(target, key, steps: int, chains: int, sweeps: int):
    ts = jnp.linspace(0.0, 1.0, steps + 1)
    k0, kr = jax.random.split(key)
    x = jax.random.rademacher(k0, (chains, target.n), dtype=jnp.float64)
    st = MetropolisState(x=x, energy=target.energy(x))

    def body(carry, inp):
        st, log_w = carry
        t_prev, t, k = inp
        log_w = log_w - (t - t_prev) * st.energy
        for j in range(sweeps):
            st = metropolis_sweep(jax.random.fold_in(k, j), target, st, t)
        return (st, log_w), None

    (st, log_w), _ = jax.lax.scan(body, (st, jnp.zeros(chains)),
                                  (ts[:-1], ts[1:], jax.random.split(kr, steps)))
    return _finish(target.n * jnp.log(2.0), log_w)


def ais_log_Z_target(target, key: Array, *, steps: int = 1000, chains: int = 128,
                     sweeps: int = 1) -> AISResult:
    """AIS estimate of a target's ``log Z_p = log sum_x exp(-E(x))`` (nats), annealing
    ``exp(-t E)`` from ``t = 0`` (uniform) with ``sweeps`` Metropolis sweeps per step."""
    return _ais_target(target, key, steps, chains, sweeps)
