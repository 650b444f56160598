"""Posterior sampling for the small models of this package: priors from NumPyro, a
multi-start optimiser for the starting point, NumPyro's NUTS on a potential function.

A model is a dict ``{name: numpyro distribution}`` of priors and a pure JAX
``log_likelihood(params) -> scalar``. Parameters move in the unconstrained space of
``numpyro.distributions.biject_to(prior.support)``; the potential includes the prior
and the log-Jacobian. The start of every chain is the best of ``n_starts`` prior draws
(one vmapped call), the best ``n_polish`` of them improved by ``n_adam`` Adam steps, so
that a multimodal likelihood (a collapse at the wrong T_c) does not trap the chains.
"""

from __future__ import annotations

from dataclasses import dataclass

import jax
import jax.numpy as jnp
import numpy as np
import optax
from numpyro.distributions import biject_to
from numpyro.infer import MCMC, NUTS
from numpyro.infer.util import ParamInfo


@dataclass(frozen=True)
class SamplerOptions:
    """NUTS settings. ``seed`` makes the whole fit deterministic."""

    num_warmup: int = 500
    num_samples: int = 1000
    num_chains: int = 2
    seed: int = 0
    n_starts: int = 512
    n_polish: int = 8
    n_adam: int = 200
    target_accept: float = 0.85


def _flatten(priors):
    names = list(priors)
    maps = [biject_to(priors[n].support) for n in names]
    return names, maps


def make_potential(priors, log_likelihood):
    """``potential(z) = -(log_likelihood + log_prior + log|J|)`` on the vector ``z``."""
    names, maps = _flatten(priors)

    def constrain(z):
        return {n: m(z[i]) for i, (n, m) in enumerate(zip(names, maps, strict=False))}

    def potential(z):
        theta = constrain(z)
        lp = 0.0
        for i, (n, m) in enumerate(zip(names, maps, strict=False)):
            lp = lp + priors[n].log_prob(theta[n]) + m.log_abs_det_jacobian(z[i], theta[n])
        return -(log_likelihood(theta) + lp)

    return potential, constrain


def _start(potential, priors, key, options: SamplerOptions):
    names, maps = _flatten(priors)
    opt = optax.adam(0.05)
    grad = jax.grad(potential)

    def polish(z):
        def body(carry, _):
            z, st = carry
            upd, st = opt.update(jnp.nan_to_num(grad(z)), st)
            return (optax.apply_updates(z, upd), st), None

        (z, _), _ = jax.lax.scan(body, (z, opt.init(z)), None, length=options.n_adam)
        return z

    # one compiled program for the whole search (prior draws, their potentials, the
    # polish, the best): run step by step, each small operation was a program of its own
    @jax.jit
    def search(key):
        keys = jax.random.split(key, len(names))
        draws = jnp.stack([maps[i].inv(priors[n].sample(keys[i], (options.n_starts,)))
                           for i, n in enumerate(names)], axis=1)
        vals = jax.vmap(potential)(draws)
        vals = jnp.where(jnp.isfinite(vals), vals, jnp.inf)
        best = draws[jnp.argsort(vals)[: options.n_polish]]
        if options.n_adam:
            best = jnp.concatenate([best, jax.vmap(polish)(best)])
        vals = jax.vmap(potential)(best)
        vals = jnp.where(jnp.isfinite(vals), vals, jnp.inf)
        i = jnp.argmin(vals)
        return best[i], vals[i]

    z, val = search(key)
    return z, float(val)


def sample(priors, log_likelihood, options: SamplerOptions, parts=None):
    """Draws ``{name: array (num_chains, num_samples)}`` and the number of divergences.

    ``parts``: for a separable likelihood, a list of ``(names, log_likelihood_part)``
    covering ``priors`` in order; the start is then searched part by part.
    """
    potential, constrain = make_potential(priors, log_likelihood)
    key = jax.random.PRNGKey(options.seed)
    k_start, k_run = jax.random.split(key)
    if parts is None:
        z0, best = _start(potential, priors, k_start, options)
    else:
        zs, best = [], 0.0
        for j, (names, part) in enumerate(parts):
            sub = {n: priors[n] for n in names}
            z, b = _start(make_potential(sub, part)[0], sub, jax.random.fold_in(k_start, j),
                          options)
            zs.append(z)
            best += b
        z0 = jnp.concatenate(zs)
    if not np.isfinite(best):
        raise FloatingPointError("no finite starting point for the posterior")
    jitter = 1e-3 * jax.random.normal(k_start, (options.num_chains, z0.shape[0]))
    init = z0[None, :] + jitter
    mcmc = MCMC(NUTS(potential_fn=potential, target_accept_prob=options.target_accept),
                num_warmup=options.num_warmup, num_samples=options.num_samples,
                num_chains=options.num_chains, chain_method="sequential",
                progress_bar=False)
    # the potential and its gradient at the start, from one compiled program: NUTS would
    # otherwise evaluate them operation by operation (a program compiled for each)
    value_and_grad = jax.value_and_grad(potential)
    if options.num_chains > 1:
        start = ParamInfo(init, *jax.jit(jax.vmap(value_and_grad))(init))
    else:
        start = ParamInfo(init[0], *jax.jit(value_and_grad)(init[0]))
    mcmc.run(k_run, init_params=start, extra_fields=("diverging",))
    z = mcmc.get_samples(group_by_chain=True)
    z = z.reshape(options.num_chains, options.num_samples, -1)
    theta = jax.vmap(jax.vmap(constrain))(z)
    div = mcmc.get_extra_fields(group_by_chain=True)["diverging"]
    return {k: np.asarray(v) for k, v in theta.items()}, int(np.sum(div))
