"""Where the replicas start: the prior, or the Laplace approximation of a MAP optimum.

Exchange Monte Carlo converges from any start, but a sharp posterior with many local
optima (the 8-spin KCu4P3O12 cluster: local optima 300 nats below the global one) needs
many round trips before the ``b = 1`` replica first finds the global mode. A multi-start
MAP search (cheap: BFGS from many starts) finds it in seconds; replicas whose tempered
target ``prior * L**b`` is narrower than the prior then start from its Laplace
approximation (:class:`~._driver.Start`), the others from the prior. The warm-up and the
swaps do the rest, and the prior replica keeps feeding fresh states into the ladder, so
modes the search missed are still found by the exchange.
"""

from __future__ import annotations

import jax.numpy as jnp
import numpy as np

from ..._progress import stage
from .._optimize import Optimum, fd_laplace_covariance, maximize
from ._driver import Start


def map_optimum(problem, key, ckpt, restarts: int, progress=False):
    """Constrained values of the free parameters at the best of ``restarts`` MAP searches,
    and the search's :class:`~.._optimize.Optimum` (every end point, for the ``optima``
    group; None from a checkpoint written before it was stored). A checkpointed stage; a
    stage line with ``progress=None``."""
    names = list(problem.free)
    if "map" in ckpt.done:
        done = ckpt.done["map"]
        vals = done["values"]
        opt = None
        if "all_z" in done:
            all_z, all_v = jnp.asarray(done["all_z"]), jnp.asarray(done["all_values"])
            best = int(np.argmax(np.asarray(all_v)))
            opt = Optimum(all_z[best], all_v[best], all_z, all_v)
    else:
        with stage(f"remc: MAP search ({int(restarts)} restarts)", progress):
            opt = maximize(problem.log_density_z, problem.sample_prior_z(key, int(restarts)))
        p = problem.constrain(opt.z)
        vals = np.array([float(p[k]) for k in names])
        ckpt.save_done("map", {"values": vals, "all_z": np.asarray(opt.all_z),
                               "all_values": np.asarray(opt.all_values)})
    return dict(zip(names, map(float, vals), strict=True)), opt


def laplace_start(problem, values: dict[str, float]) -> Start:
    """:class:`Start` at ``values`` (constrained; keys beyond ``problem.free`` ignored) with
    the Laplace covariance of ``problem``; the prior when it is not positive definite."""
    z = problem.unconstrain({k: jnp.asarray(values[k]) for k in problem.free})
    chol = jnp.linalg.cholesky(fd_laplace_covariance(problem.log_density_z, z))
    if not (bool(jnp.all(jnp.isfinite(z))) and bool(jnp.all(jnp.isfinite(chol)))):
        return Start.prior(problem.dim)
    return Start(z, chol, jnp.asarray(True))


def pooled_start(z, fallback: Start | None) -> Start | None:
    """:class:`Start` at the mean and covariance of draws ``z`` ``(R, N, dim)`` pooled over
    runs (a pilot's posterior draws); ``fallback`` when their covariance is not positive
    definite."""
    flat = np.asarray(z).reshape(-1, np.shape(z)[-1])
    if flat.shape[0] <= flat.shape[1] + 2:
        return fallback
    cov = np.atleast_2d(np.cov(flat.T))
    try:
        chol = np.linalg.cholesky(cov)
    except np.linalg.LinAlgError:
        return fallback
    if not np.all(np.isfinite(chol)):
        return fallback
    return Start(jnp.asarray(flat.mean(0)), jnp.asarray(chol), jnp.asarray(True))
