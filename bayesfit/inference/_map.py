"""``MAP``: the posterior mode with a Laplace approximation of the covariance."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import jax
import jax.numpy as jnp
import numpy as np

from .._progress import stage
from ..errors import BayesfitError
from ..results._groups import MapEstimate
from ._method import Method
from ._optima import optima_group
from ._optimize import laplace_covariance, maximize
from ._output import Draws
from ._output import z_names as _z_names


@dataclass(frozen=True)
class MAP(Method):
    """Posterior mode by BFGS from ``restarts`` prior draws, plus a Laplace approximation.

    The Laplace covariance is the inverse negative Hessian of the log posterior in the
    unconstrained space at the mode; ``draws`` samples from that Gaussian are mapped back
    to the natural parameters and stored as a one-chain posterior. The mode, its log
    density and the covariance go to the result group ``map``; every distinct optimum of
    the restarts, with its Laplace evidence and weight, to the group ``optima``.
    """

    restarts: int = 16

    name: ClassVar[str] = "map"

    def run(self, problem, *, chains, draws, warmup, key, progress) -> Draws:
        del chains, warmup
        k_start, k_draw = jax.random.split(key)
        logp = problem.log_density_z
        with stage(f"map: BFGS from {self.restarts} starts", progress):
            opt = maximize(logp, problem.sample_prior_z(k_start, self.restarts))
        if not np.isfinite(float(opt.value)):
            raise BayesfitError(
                "MAP search found no point with finite posterior density; check priors and "
                "that the model returns finite values inside the prior support."
            )
        with stage("map: Laplace covariance at the mode", progress):
            cov = laplace_covariance(logp, opt.z)
        ok = bool(jnp.all(jnp.isfinite(cov))) and bool(jnp.all(jnp.linalg.eigvalsh(cov) > 0))
        if not ok:
            raise BayesfitError(
                "the Hessian at the MAP point is not negative definite (a flat or degenerate "
                "direction); the Laplace approximation is undefined. Use method 'nuts' or "
                "'emcee', or tighten the priors of unidentified parameters."
            )
        z = jax.random.multivariate_normal(k_draw, opt.z, cov, (draws,))
        group = MapEstimate(
            mode={k: np.asarray(v) for k, v in problem.constrain(opt.z).items()},
            z_names=_z_names(problem), z_mode=np.asarray(opt.z), z_cov=np.asarray(cov),
            log_density=float(opt.value), restart_log_density=np.asarray(opt.all_values))
        optima, _ = optima_group(problem, opt)
        optima.attrs["sampled"] = 0  # Laplace draws of the best optimum, not posterior draws
        return Draws(z=z[None], sample_stats={}, groups={"map": group, "optima": optima},
                     attrs={})
