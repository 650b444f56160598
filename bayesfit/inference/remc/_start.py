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
from .._optima import Mode, assign, laplace_weights
from .._optimize import Optimum, fd_laplace_covariance, maximize
from ._driver import Start
from ._reference import Mixture

#: Share of a mixture reference spread evenly over its components (the rest follows the
#: Laplace weights): a mode the Laplace approximation underrates still gets fresh draws.
WEIGHT_FLOOR = 0.2
#: Optima whose Laplace weight is below this do not enter the mixture.
MIN_WEIGHT = 1e-3


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


def _floored(w) -> np.ndarray:
    w = np.asarray(w, float) / np.sum(w)
    return (1.0 - WEIGHT_FLOOR) * w + WEIGHT_FLOOR / w.size


def with_modes(start: Start, modes: list[Mode], max_components: int) -> Start:
    """``start`` with the mixture of the distinct optima ``modes`` (best first,
    :func:`.._optima.distinct_optima`) that are proper and carry a Laplace weight of at
    least ``MIN_WEIGHT``, at most ``max_components`` of them; ``start`` unchanged when
    fewer than two qualify."""
    w = laplace_weights(modes)
    keep = [k for k, m in enumerate(modes) if m.proper and w[k] >= MIN_WEIGHT]
    keep = sorted(keep, key=lambda k: -w[k])[:max_components]
    if len(keep) < 2 or start is None or not bool(start.use):
        return start
    chols = []
    for k in keep:
        try:
            chols.append(np.linalg.cholesky(modes[k].cov))
        except np.linalg.LinAlgError:
            return start
    mix = Mixture(jnp.log(jnp.asarray(_floored(w[keep]))),
                  jnp.asarray(np.stack([modes[k].z for k in keep])), jnp.asarray(np.stack(chols)))
    return start._replace(modes=mix)


def _refit_mixture(flat: np.ndarray, start: Start) -> Start:
    """The mixture of ``start`` refitted to draws ``flat`` ``(n, dim)``: each draw goes to
    its nearest component (in that component's metric); a component with enough draws
    gets their mean and covariance, the weights the floored shares of the draws."""
    q = start.modes
    mean, chol = np.array(q.mean), np.array(q.chol)
    n_comp, dim = mean.shape
    covs = chol @ np.swapaxes(chol, -1, -2)
    label = assign(flat, [Mode(mean[m], 0.0, covs[m], np.linalg.inv(covs[m]), True, 0)
                          for m in range(n_comp)])
    counts = np.bincount(label, minlength=n_comp).astype(float)
    for m in range(n_comp):
        mine = flat[label == m]
        if mine.shape[0] <= dim + 2:
            continue
        try:
            c = np.linalg.cholesky(np.atleast_2d(np.cov(mine.T)))
        except np.linalg.LinAlgError:
            continue
        if np.all(np.isfinite(c)):
            mean[m], chol[m] = mine.mean(0), c
    log_w = np.log(_floored(counts + 1.0))
    mix = Mixture(jnp.asarray(log_w), jnp.asarray(mean), jnp.asarray(chol))
    return start._replace(z=mix.mean[0], chol=mix.chol[0], modes=mix)


def pooled_start(z, fallback: Start | None) -> Start | None:
    """:class:`Start` at the mean and covariance of draws ``z`` ``(R, N, dim)`` pooled over
    runs (a pilot's posterior draws); ``fallback`` when their covariance is not positive
    definite. A ``fallback`` with a mixture over optima keeps its components, each
    refitted to the draws nearest to it (pooling would merge the modes into one broad
    Gaussian)."""
    flat = np.asarray(z).reshape(-1, np.shape(z)[-1])
    if fallback is not None and fallback.modes is not None and fallback.modes.components > 1:
        return _refit_mixture(flat, fallback)
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
