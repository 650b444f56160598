"""One replica-exchange run as a pure ``init`` / ``step`` pair (BlackJAX style).

A step advances all K replicas of one run: ``moves_per_step`` within-replica moves
(vmapped over replicas), an exact refresh of the reference replica when ``b = 0`` is the
prior, a DEO swap, and, during warm-up, the adaptation of step sizes (dual averaging,
Hoffman & Gelman 2014), of the mass matrices (windowed covariance estimates, diagonal or
dense) and of the ladder (:func:`adapt_ladder`, Syed et al. 2021). The step is a pure function of
``(state, key, t, path)``: the driver vmaps it over independent runs and scans it over t.

The targets lie on a *path* in the space of likelihood weights: replica k samples
``log prior(z) + w_k . l(z)`` with ``w_k = offset + b_k * direction``. A plain power
posterior has ``offset = 0`` and ``direction = 1``; the free-energy noise estimation tempers
one dataset while the others stay at fixed weights (see README.md). The integrand of
thermodynamic integration along the path is ``u = direction . l(z) + shift``.
"""

from __future__ import annotations

from typing import NamedTuple

import jax
import jax.numpy as jnp
from numpyro.infer.hmc_util import dual_averaging

from . import _moves
from ._ladder import adapt_ladder
from ._swap import (
    RoundTrips,
    deo_permutation,
    init_round_trips,
    log_swap_ratio,
    swap_probability,
    update_round_trips,
)


class Path(NamedTuple):
    """Likelihood weights ``w = offset + b * direction`` (each ``(D,)``), the constant
    ``shift`` added to the integrand, and whether ``b = 0`` is exactly the prior."""

    offset: jax.Array
    direction: jax.Array
    shift: jax.Array
    exact_reference: jax.Array


class LadderState(NamedTuple):
    replicas: _moves.ReplicaState  # batched over the K replicas (slot k has beta k)
    betas: jax.Array  # (K,)
    log_step: jax.Array  # (K,) log step size in use
    da: tuple  # dual-averaging state, batched over K
    chol: jax.Array  # (K, dim, dim) Cholesky factor of each replica's inverse mass matrix
    w_mean: jax.Array  # (K, dim) Welford mean since the last mass-matrix update
    w_m2: jax.Array  # (K, dim, dim) Welford sum of outer products
    w_n: jax.Array  # ()
    rej_sum: jax.Array  # (K-1,) swap rejection since the last ladder update
    rej_n: jax.Array  # ()
    swap_sum: jax.Array  # (K-1,) swap acceptance probability, after warm-up
    acc_sum: jax.Array  # (K,) move acceptance probability, after warm-up
    n_kept: jax.Array  # ()
    rt: RoundTrips


class StepOutput(NamedTuple):
    z: jax.Array  # (dim,) state at b = 1
    u: jax.Array  # (K,) integrand at every replica
    lp: jax.Array  # () log target density at b = 1
    acc: jax.Array  # () move acceptance probability at b = 1


class Schedule(NamedTuple):
    """Warm-up length and the steps after which scales / the ladder are updated."""

    warmup: int
    scale_updates: tuple[int, ...]
    ladder_updates: tuple[int, ...]


def make_schedule(warmup: int, adapt: bool) -> Schedule:
    """Ladder updates after ``W/16, W/8, W/4, W/2`` steps (doubling rounds, as in Syed et
    al. 2021), scale updates there and after ``3W/4``; the last quarter of the warm-up
    only tunes step sizes for the final ladder."""
    lad = sorted({warmup // f for f in (16, 8, 4, 2) if warmup // f >= 8}) if adapt else []
    sc = sorted(set(lad) | ({3 * warmup // 4} if warmup >= 16 else set()))
    return Schedule(int(warmup), tuple(sc), tuple(lad))


_DA_INIT, _DA_UPDATE = dual_averaging()


def _da_reset(log_step):
    return jax.vmap(_DA_INIT)(log_step + jnp.log(10.0))


def init(z0, betas, log_step, chol, log_prior_fn, loglik_fn) -> LadderState:
    """State of one run from starting points ``z0`` ``(K, dim)``, a ladder ``(K,)`` and
    Cholesky factors ``(K, dim, dim)`` of the initial inverse mass matrices."""
    k, dim = z0.shape
    reps = jax.vmap(lambda z: _moves.init(z, log_prior_fn, loglik_fn))(z0)
    return LadderState(
        replicas=reps, betas=betas, log_step=log_step, da=_da_reset(log_step),
        chol=chol, w_mean=jnp.zeros((k, dim)), w_m2=jnp.zeros((k, dim, dim)),
        w_n=jnp.zeros(()), rej_sum=jnp.zeros(k - 1),
        rej_n=jnp.zeros(()), swap_sum=jnp.zeros(k - 1), acc_sum=jnp.zeros(k),
        n_kept=jnp.zeros(()), rt=init_round_trips(k),
    )


def _interp_rows(x_new, x_old, rows):
    """Interpolate every column of ``rows`` ``(K, n)`` from ``x_old`` to ``x_new``."""
    return jax.vmap(lambda c: jnp.interp(x_new, x_old, c), in_axes=1, out_axes=1)(rows)


def interp_chol(x_new, x_old, chol):
    """Cholesky factors ``(K, d, d)`` moved from the rungs ``x_old`` to ``x_new``: the
    diagonal interpolated in log, the rest linearly (a lower-triangular matrix with a
    positive diagonal stays a valid factor)."""
    k, d, _ = chol.shape
    diag = jnp.diagonal(chol, axis1=1, axis2=2)
    log_diag = _interp_rows(x_new, x_old, jnp.log(diag))
    off = _interp_rows(x_new, x_old, chol.reshape(k, d * d)).reshape(k, d, d)
    eye = jnp.eye(d, dtype=bool)
    return jnp.where(eye, jax.vmap(jnp.diag)(jnp.exp(log_diag)), off)


def covariance_factor(m2, n, dense: bool):
    """Cholesky factors ``(K, d, d)`` of windowed covariances (Welford sums ``m2``, ``n``
    draws). Diagonal: the variances shrunk towards ``1e-3`` as Stan does. Dense: the
    correlations shrunk towards zero by ``n / (n + 5)`` (scale-free: posteriors of sharp
    data can have standard deviations far below Stan's ``1e-3`` floor, which would spoil
    the conditioning), the diagonal factor where the dense one is not finite."""
    d = m2.shape[-1]
    cov = m2 / jnp.maximum(n - 1, 1)
    var = jnp.diagonal(cov, axis1=1, axis2=2)
    diag = jax.vmap(jnp.diag)(jnp.sqrt((n / (n + 5)) * var + 1e-3 * (5 / (n + 5))))
    if not dense:
        return diag
    eye = jnp.eye(d, dtype=bool)
    shrunk = jnp.where(eye, cov + 1e-300, (n / (n + 5)) * cov)
    full = jnp.linalg.cholesky(shrunk)
    ok = jnp.all(jnp.isfinite(full), axis=(1, 2), keepdims=True)
    return jnp.where(ok, full, diag)


def build_kernel(log_prior_fn, loglik_fn, prior_draw_fn, *, move: str, leapfrog_steps: int,
                 moves_per_step: int, target_accept: float, schedule: Schedule,
                 dense: bool = False):
    """``step(state, key, t, path) -> (state, StepOutput)`` for one run. ``dense``: adapt
    full mass matrices (covariances) instead of their diagonals."""
    if move == "hmc":
        kernel = _moves.build_hmc(log_prior_fn, loglik_fn, leapfrog_steps)
    else:
        kernel = _moves.build_rwm(log_prior_fn, loglik_fn)
    warmup = schedule.warmup
    scale_at = jnp.asarray(schedule.scale_updates or (-1,))
    ladder_at = jnp.asarray(schedule.ladder_updates or (-1,))

    def moves(key, s: LadderState, weights):
        eps = jnp.exp(s.log_step)

        def one(reps, k):
            keys = jax.random.split(k, weights.shape[0])
            return jax.vmap(kernel)(keys, reps, weights, eps, s.chol)

        if moves_per_step == 1:
            return one(s.replicas, key)
        reps, acc = jax.lax.scan(one, s.replicas, jax.random.split(key, moves_per_step))
        return reps, jnp.mean(acc, axis=0)

    def adapt(s: LadderState, acc, t):
        n = t + 1  # steps completed
        # step sizes: dual averaging towards target_accept
        da = jax.vmap(_DA_UPDATE)(target_accept - acc, s.da)
        log_step = jnp.where(n == warmup, da[1], da[0])
        # mass matrices: Welford covariance of each replica since the last update
        wn = s.w_n + 1
        d = s.replicas.z - s.w_mean
        w_mean = s.w_mean + d / wn
        w_m2 = s.w_m2 + d[:, :, None] * (s.replicas.z - w_mean)[:, None, :]
        new_scale = jnp.isin(n, scale_at)
        chol = jnp.where(new_scale, covariance_factor(w_m2, wn, dense), s.chol)
        # ladder: invert the cumulative barrier
        new_ladder = jnp.isin(n, ladder_at)
        rej = s.rej_sum / jnp.maximum(s.rej_n, 1)
        betas = jnp.where(new_ladder, adapt_ladder(s.betas, rej), s.betas)
        log_step = jnp.where(new_ladder, jnp.interp(betas, s.betas, log_step), log_step)
        chol = jnp.where(new_ladder, interp_chol(betas, s.betas, chol), chol)
        da = jax.tree_util.tree_map(
            lambda a, b: jnp.where(new_scale, a, b), _da_reset(log_step), da)
        reset = lambda x: jnp.where(new_scale, jnp.zeros_like(x), x)  # noqa: E731
        return s._replace(
            betas=betas, log_step=log_step, da=da, chol=chol, w_mean=reset(w_mean),
            w_m2=reset(w_m2), w_n=reset(wn), rej_sum=jnp.where(new_ladder, 0.0, s.rej_sum),
            rej_n=jnp.where(new_ladder, 0.0, s.rej_n),
            rt=s.rt._replace(trips=jnp.where(n == warmup, 0, s.rt.trips)),
        )

    def step(s: LadderState, key, t, path: Path):
        k_move, k_ref, k_swap = jax.random.split(key, 3)
        weights = path.offset + s.betas[:, None] * path.direction
        reps, acc = moves(k_move, s, weights)
        fresh = _moves.init(prior_draw_fn(k_ref), log_prior_fn, loglik_fn)
        reps = jax.tree_util.tree_map(
            lambda r, f: r.at[0].set(jnp.where(path.exact_reference, f, r[0])), reps, fresh)
        log_ratio = log_swap_ratio(weights, reps.loglik)
        prob = swap_probability(log_ratio)
        perm, _ = deo_permutation(k_swap, log_ratio, t % 2)
        reps = jax.tree_util.tree_map(lambda x: x[perm], reps)
        warm = t < warmup
        s = s._replace(
            replicas=reps, rt=update_round_trips(s.rt, perm),
            rej_sum=s.rej_sum + (1.0 - prob), rej_n=s.rej_n + 1,
            swap_sum=s.swap_sum + jnp.where(warm, 0.0, prob),
            acc_sum=s.acc_sum + jnp.where(warm, 0.0, acc),
            n_kept=s.n_kept + jnp.where(warm, 0.0, 1.0),
        )
        adapted = adapt(s, acc, t)
        s = jax.tree_util.tree_map(lambda a, b: jnp.where(warm, a, b), adapted, s)
        u = jnp.sum(jnp.where(path.direction == 0, 0.0, path.direction * reps.loglik), -1)
        top = _moves.tempered(reps.log_prior[-1], reps.loglik[-1], weights[-1])
        return s, StepOutput(reps.z[-1], u + path.shift, top, acc[-1])

    return step
