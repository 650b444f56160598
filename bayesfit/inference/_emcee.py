"""``Emcee``: independent affine-invariant ensembles (emcee), diagnosed honestly.

Walkers of one ensemble are not independent, so R-hat is computed across *ensembles*
(each ensemble is one ArviZ chain) and never across walkers. The integrated
autocorrelation time of every parameter in every ensemble is reported (emcee's
estimator on the walker-averaged chain), in the result group ``emcee``.
"""

from __future__ import annotations

import logging
import warnings
from dataclasses import dataclass
from typing import ClassVar

import emcee
import jax
import jax.numpy as jnp
import numpy as np

from .._progress import bar
from ..results._groups import EnsembleDiagnostics
from ._method import Method
from ._output import Draws, z_names


def _integrated_time(chain):
    """emcee's integrated autocorrelation time, without its log warnings."""
    log = logging.getLogger("emcee.autocorr")
    level = log.level
    log.setLevel(logging.ERROR)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return emcee.autocorr.integrated_time(chain, quiet=True)
    finally:
        log.setLevel(level)


@dataclass(frozen=True)
class Emcee(Method):
    """Ensemble sampling; one ensemble per chain.

    walkers:
        Walkers per ensemble (default ``max(32, 4 * dim)``, rounded up to even).
    thin_by_tau:
        Thin the kept samples by the largest autocorrelation time before subsampling.
    """

    walkers: int | None = None
    thin_by_tau: bool = True

    name: ClassVar[str] = "emcee"

    def run(self, problem, *, chains, draws, warmup, key, progress) -> Draws:
        dim = problem.dim
        nw = self.walkers or max(32, 4 * dim)
        nw += nw % 2
        logp = jax.jit(jax.vmap(problem.log_density_z))

        def log_prob(zs):
            v = np.asarray(logp(jnp.asarray(zs)))
            return np.where(np.isfinite(v), v, -np.inf)

        seeds = np.asarray(jax.random.randint(key, (chains,), 0, 2**31 - 1))
        kept, acc, taus = [], [], []
        for c in range(chains):
            rng = np.random.default_rng(int(seeds[c]))
            z0 = np.asarray(problem.sample_prior_z(jax.random.PRNGKey(int(seeds[c])), nw))
            # start in a small ball around the best prior draw: emcee needs no bad walkers
            best = z0[np.argmax(log_prob(z0))]
            z0 = best + 1e-3 * rng.standard_normal((nw, dim))
            sampler = emcee.EnsembleSampler(nw, dim, log_prob, vectorize=True)
            sampler.random_state = np.random.RandomState(int(seeds[c])).get_state()
            # emcee's own loop (what run_mcmc does), with our bar: lines at 25/50/75 % when
            # piped (steps, elapsed, ETA)
            with bar(warmup + draws, f"emcee chain {c + 1}/{chains}", progress) as pbar:
                for _ in sampler.sample(z0, iterations=warmup + draws):
                    pbar.update(1)
            chain = sampler.get_chain(discard=warmup)  # (steps, walkers, dim)
            tau = _integrated_time(chain)
            taus.append(tau)
            acc.append(float(np.mean(sampler.acceptance_fraction)))
            thin = max(1, int(np.ceil(np.nanmax(tau)))) if self.thin_by_tau else 1
            kept.append(chain[::thin].reshape(-1, dim))
        # equal-length chains without repeating a sample (repeats would fake ESS)
        n = min(draws, *(k.shape[0] for k in kept))
        kept = [k[np.linspace(0, k.shape[0] - 1, n).round().astype(int)] for k in kept]
        steps = draws + 0  # post-warm-up steps per walker
        # emcee's rule of thumb: the estimate is trustworthy when steps > 50 tau
        group = EnsembleDiagnostics(
            z_names=z_names(problem), autocorr_time=np.asarray(taus),
            autocorr_reliable=np.asarray(taus) * 50 < steps,
            acceptance_fraction=np.asarray(acc), walkers=nw)
        return Draws(z=jnp.asarray(np.stack(kept)), sample_stats={}, groups={"emcee": group},
                     attrs={"walkers": nw})
