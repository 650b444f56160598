"""Noise levels from the stationarity of the free energy, by Fisher's identity.

For Gaussian noise of level ``sigma_d`` on dataset ``d`` (``n_d`` points, sum of squared
residuals ``SSR_d(theta)``), the gradient of the log evidence is the posterior mean of the
gradient of the log likelihood (Fisher's identity), so with ``F = -log p(data | sigma)``

    dF / d log sigma_d = n_d - E[SSR_d] / sigma_d**2       (posterior at sigma, nats)

and at the minimum of ``F`` every ``sigma_d**2 = E[SSR_d] / n_d``. Iterating that map (the
EM update of a variance) moves each noise level to its own minimum from posterior runs
alone; it contracts by about ``p_d / n_d`` per step (``p_d`` the parameters dataset ``d``
determines), so one or two steps from the free-energy ray suffice. The gradient is also
recorded as a check of every free-energy result (``grad_log_sigma`` in the ``noise`` group).
Reference: Dempster, Laird & Rubin (1977) for the EM update; Tamura et al. (2020), PRB 101,
224435 for ``F(sigma)``.
"""

from __future__ import annotations

import warnings
from typing import NamedTuple

import jax
import jax.numpy as jnp
import numpy as np

from ._evidence import block_error, blocks

MAX_STEPS = 4  # posterior runs at most (the first included)
TOLERANCE = 3.0  # a level has settled when it moves by at most this many combined MC errors


class Stationarity(NamedTuple):
    """Per estimated noise level (the order of ``names``): the update
    ``sqrt(E[SSR_d] / n_d)`` (data units) and its Monte Carlo error, and
    ``dF / d log sigma_d`` at the sampled levels (nats) and its error."""

    names: tuple[str, ...]
    sigma: np.ndarray  # the levels the posterior was sampled at
    sigma_err: np.ndarray  # their Monte Carlo error (of the ray or the previous update)
    update: np.ndarray
    update_err: np.ndarray
    grad: np.ndarray
    grad_err: np.ndarray

    def settled(self) -> bool:
        """No level moved by more than :data:`TOLERANCE` combined Monte Carlo errors of
        the sampled level and its update (two noisy estimates of one fixed point)."""
        err = np.hypot(np.nan_to_num(self.sigma_err), np.nan_to_num(self.update_err))
        return bool(np.all(np.abs(self.update - self.sigma)
                           <= TOLERANCE * np.maximum(err, 1e-12 * self.sigma)))


def ssr_function(problem, names):
    """``z -> (len(names),)`` sums of squared residuals of the datasets whose noise levels
    are ``names`` (units of each dataset's y, squared), jitted and vmapped over draws."""
    by_noise = {d.noise_name: d for d in problem.datasets}
    chosen = [by_noise[k] for k in names]

    def one(z):
        p = problem.full(problem.constrain(z))
        return jnp.stack([jnp.sum(jnp.square(jnp.asarray(d.y) - d.predict(p)))
                          for d in chosen])

    return jax.jit(jax.vmap(one))


def stationarity(ssr_fn, z, names, n: dict, sigma: dict, sigma_err=None) -> Stationarity:
    """:class:`Stationarity` from posterior draws ``z`` ``(R, N, dim)`` sampled with the
    noise levels ``sigma`` (Monte Carlo errors ``sigma_err``, zero if None); errors from
    contiguous batches of every run."""
    z = np.asarray(z)
    R, N, dim = z.shape
    ssr = np.asarray(ssr_fn(jnp.asarray(z.reshape(R * N, dim)))).reshape(R, N, len(names))
    n_d = np.array([n[k] for k in names], float)
    s = np.array([sigma[k] for k in names], float)
    per_block = blocks(ssr, R).mean(axis=1)  # (B, D)
    mean = ssr.reshape(-1, len(names)).mean(axis=0)
    update = np.sqrt(mean / n_d)
    grad = n_d - mean / s**2
    if per_block.shape[0] > 1:
        update_err = block_error(np.sqrt(per_block / n_d))
        grad_err = block_error(n_d - per_block / s**2)
    else:
        update_err = grad_err = np.full(len(names), np.nan)
    s_err = np.zeros(len(names)) if sigma_err is None else \
        np.array([sigma_err[k] for k in names], float)
    return Stationarity(tuple(names), s, s_err, update, np.asarray(update_err), grad,
                        np.asarray(grad_err))


def level_errors(est) -> dict[str, float]:
    """Monte Carlo error of every level at the minimum of its recorded curve (the spread of
    the block minima; data units), keyed like ``est.curves``."""
    out = {}
    for k, (curve, s0, _) in est.curves.items():
        b = np.asarray(curve.b_hat_blocks)
        out[k] = float(block_error(s0 / np.sqrt(b))) if b.size > 1 else 0.0
    return out


def stationary_noise(runner, est, path_at, ssr_fn, key, ckpt, progress, start):
    """Posterior runs at ``est.sigma_hat``, each followed by the update
    ``sigma_d = sqrt(E[SSR_d] / n_d)``, until no level moves by more than
    :data:`TOLERANCE` Monte Carlo errors (at most :data:`MAX_STEPS` runs). ``path_at``
    maps noise levels to the posterior's path. Returns the last run, sampled at the final
    ``est.sigma_hat``, and its :class:`Stationarity`; warns when the levels did not settle."""
    names = est.names
    err = level_errors(est)
    for step in range(MAX_STEPS):
        run = runner.run("posterior" if step == 0 else f"posterior-{step}", key,
                         path_at(est.sigma_hat), ckpt, progress, start)
        stat = stationarity(ssr_fn, run.z, names, est.n, est.sigma_hat, err)
        if stat.settled():
            return run, stat
        if step + 1 < MAX_STEPS:
            est.sigma_hat = {**est.sigma_hat,
                             **dict(zip(names, map(float, stat.update), strict=True))}
            err = dict(zip(names, map(float, stat.update_err), strict=True))
    worst = names[int(np.argmax(np.abs(stat.update - stat.sigma)
                                / np.maximum(stat.update_err, 1e-300)))]
    warnings.warn(f"REMC: the noise levels did not settle after {MAX_STEPS} posterior runs "
                  f"({worst}: sampled at {est.sigma_hat[worst]:.6g}, stationary point "
                  f"{stat.update[names.index(worst)]:.6g}); use noise_update='ladders' or "
                  "more draws.", RuntimeWarning, stacklevel=4)
    return run, stat
