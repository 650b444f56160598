"""``NUTS``: NumPyro's No-U-Turn sampler, started from a multi-start MAP search."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import jax
import jax.numpy as jnp
import numpy as np
from numpyro.infer import MCMC
from numpyro.infer import NUTS as _NumPyroNUTS
from numpyro.infer.util import ParamInfo

from .._progress import progress_enabled, stage
from ._devices import map_blocks, split_over_devices
from ._method import Method
from ._optima import optima_group
from ._optimize import fd_laplace_covariance, maximize, value_and_grad
from ._output import Draws

_EXTRA = ("diverging", "accept_prob", "num_steps", "potential_energy", "energy")
_ARVIZ_NAMES = {
    "diverging": "diverging",
    "accept_prob": "acceptance_rate",
    "num_steps": "n_steps",
    "energy": "energy",
}


@dataclass(frozen=True)
class NUTS(Method):
    """No-U-Turn sampling of the unconstrained posterior (NumPyro).

    Chains start near the best of ``restarts`` MAP searches, spread by ``init_spread``
    times the Laplace standard deviations (so R-hat compares chains that started apart);
    the Laplace covariance is also the first mass matrix of the warm-up.
    ``dense_mass`` adapts a full mass matrix (for strongly correlated posteriors).
    Each chain is its own run of one compiled one-chain program (its own key, split from
    the seed), the chains in blocks over the local devices, the devices at work at once:
    a seed gives the same draws, bit for bit, whatever the device count. Every distinct
    optimum of the restarts goes to the result group ``optima`` with its Laplace weight and
    the fraction of draws near it (``_optima``).
    """

    dense_mass: bool = False
    target_accept: float = 0.85
    max_tree_depth: int = 10
    restarts: int = 8
    init_spread: float = 1.0

    name: ClassVar[str] = "nuts"

    def laplace(self, problem, z):
        """Laplace covariance of the posterior at ``z`` (unconstrained space), from finite
        differences of the gradient the MAP search compiled (a start and a scale, not a
        result: no separate Hessian program)."""
        return fd_laplace_covariance(problem.log_density_z, z)

    def initial_points(self, problem, key, chains: int):
        """Chain starting points ``(chains, dim)`` around the MAP estimate, the optimum, and
        the Laplace covariance there (None when it is not positive definite)."""
        k_start, k_jit = jax.random.split(key)
        opt = maximize(problem.log_density_z, problem.sample_prior_z(k_start, self.restarts))
        cov = self.laplace(problem, opt.z)
        good = bool(jnp.all(jnp.isfinite(jnp.linalg.cholesky(cov))))
        sd = jnp.sqrt(jnp.diag(cov)) if good else jnp.full(problem.dim, 0.01)
        eps = jax.random.normal(k_jit, (chains, problem.dim))
        z0 = opt.z + self.init_spread * jnp.clip(eps, -2, 2) * sd
        return z0.at[0].set(opt.z), opt, (cov if good else None)

    def run(self, problem, *, chains, draws, warmup, key, progress) -> Draws:
        k_init, k_run = jax.random.split(key)
        with stage(f"nuts: MAP start ({self.restarts} restarts) and Laplace covariance",
                   progress):
            z0, opt, cov = self.initial_points(problem, k_init, chains)
        logp = problem.log_density_z
        # the first mass matrix: the Laplace covariance (sharp posteriors would otherwise
        # start warm-up with a unit mass matrix, tiny steps and maximal trees)
        inv_mass = None if cov is None else (cov if self.dense_mass else jnp.diag(cov))

        def new_kernel():  # one per device block: a NumPyro kernel keeps per-run state
            return _NumPyroNUTS(
                potential_fn=lambda z: -logp(z),
                inverse_mass_matrix=inv_mass,
                dense_mass=self.dense_mass,
                target_accept_prob=self.target_accept,
                max_tree_depth=self.max_tree_depth,
            )

        # every chain its own key and its own run of one compiled one-chain program, the
        # chains in blocks over the local devices (see _devices): the draws of a seed are
        # then the same, bit for bit, on one device or several
        keys = jax.random.split(k_run, chains)
        blocks = split_over_devices((keys, z0), chains)
        bars = progress_enabled(progress) and len(blocks) == 1

        # the potential and its gradient at every start, from the compiled (value, gradient)
        # of the MAP search: given a bare point, NumPyro evaluates them operation by
        # operation, a small program compiled for each (56 of a line fit's 175 programs)
        vg = value_and_grad(logp)

        def run_block(block):
            mcmc = MCMC(new_kernel(), num_warmup=warmup, num_samples=draws, num_chains=1,
                        progress_bar=bars)
            runs = []
            for key, z in zip(*block, strict=True):
                value, grad = vg(z)
                mcmc.run(key, init_params=ParamInfo(z, -value, -grad), extra_fields=_EXTRA)
                runs.append((mcmc.get_samples(), mcmc.get_extra_fields()))
            return runs

        with stage(f"nuts: {chains} chain(s) x ({warmup} warm-up + {draws} draws) on "
                   f"{len(blocks)} device(s)", progress):
            runs = [r for block in map_blocks(run_block, blocks) for r in block]
        z = np.stack([np.asarray(s) for s, _ in runs])
        extra = {k: np.stack([np.asarray(e[k]) for _, e in runs]) for k in _EXTRA}
        stats = {_ARVIZ_NAMES[k]: np.asarray(extra[k]) for k in _ARVIZ_NAMES}
        stats["lp"] = -np.asarray(extra["potential_energy"])
        stats["tree_depth"] = np.ceil(np.log2(np.asarray(extra["num_steps"]) + 1)).astype(int)
        attrs = {"map_log_density": float(opt.value)}
        optima, _ = optima_group(problem, opt)
        optima.attrs["sampled"] = 1
        return Draws(z=jnp.asarray(z).reshape(chains, draws, -1), sample_stats=stats,
                     groups={"optima": optima}, attrs=attrs)
