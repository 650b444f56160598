"""One replica-exchange run as a pure ``init`` / ``step`` pair (BlackJAX style).

A step advances all K replicas of one run: ``moves_per_step`` within-replica moves
(vmapped over replicas), an exact refresh of the reference replica when ``b = 0`` is the
prior, a DEO swap, and, during warm-up, the adaptation of step sizes (dual averaging,
Hoffman & Gelman 2014), of the mass matrices (windowed covariance estimates, diagonal or
dense) and of the ladder (:func:`adapt_ladder`, Syed et al. 2021). The step is a pure function of
``(state, key, t, path)`` of one run: the driver scans it over t, run by run.

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
import numpy as np
from numpyro.infer.hmc_util import dual_averaging

from . import _moves
from ._ladder import adapt_ladder
from ._reference import Mixture, draw, log_density, moment_matched
from ._swap import (
    RoundTrips,
    deo_permutation,
    init_round_trips,
    log_swap_ratio,
    swap_probability,
    update_round_trips,
)


class Path(NamedTuple):
    """Likelihood weights ``w = offset + b * direction`` (each ``(D,)``) of the power leg,
    the constant ``shift`` added to the integrand, whether ``b = 0`` is exactly the prior,
    and ``low``, the ``b`` where the power leg starts (0: at the prior; > 0: a leg attached
    to the posterior, used by the noise stages with a fitted reference)."""

    offset: jax.Array
    direction: jax.Array
    shift: jax.Array
    exact_reference: jax.Array
    low: jax.Array = 0.0


class Layout(NamedTuple):
    """Slots of one run (static). Slots ``0 .. power-1`` hold the power leg
    ``prior * L**w(b)``, ``b`` increasing from ``path.low`` to 1; slot ``power - 1`` is the
    posterior (the *target*); slots ``power .. power + reference - 2`` hold the reference
    leg ``q**(1-t) pi**t`` with ``t`` decreasing to 0 at the last slot (exactly ``q``).
    ``reference = 1``: no reference leg (classic PT); ``power = 1``: no power leg."""

    power: int
    reference: int = 1

    @property
    def size(self) -> int:
        return self.power + self.reference - 1

    @property
    def target(self) -> int:
        return self.power - 1

    def legs(self) -> list[tuple[str, np.ndarray, np.ndarray]]:
        """``(name, slots, pairs)`` of every leg, slots ordered from its reference end to the
        target (increasing ``b`` or ``t``); ``pairs[i]`` joins ``slots[i], slots[i+1]``."""
        out = []
        if self.power > 1:
            out.append(("power", np.arange(self.power), np.arange(self.power - 1)))
        if self.reference > 1:
            k = self.size
            out.append(("reference", np.arange(k - 1, self.power - 2, -1),
                        np.arange(k - 2, self.power - 2, -1)))
        return out


def slot_weights(betas, path: Path, layout: Layout):
    """``(K, D + 2)`` weights of every slot on the features ``(log q, log prior, l)``."""
    k = layout.size
    leg_ref = jnp.arange(k) > layout.target
    w_end = path.offset + path.direction
    b = betas[:, None]
    power = jnp.concatenate([jnp.zeros((k, 1)), jnp.ones((k, 1)),
                             path.offset + b * path.direction], -1)
    ref = jnp.concatenate([1.0 - b, b, b * w_end], -1)
    return jnp.where(leg_ref[:, None], ref, power)


def integrands(feats, path: Path):
    """``(K, 2)`` TI integrands of every state: ``d/db`` of the power leg (``direction . l``)
    and ``d/dt`` of the reference leg (``log prior + w . l - log q``), both with ``shift``."""
    lq, lp, ll = feats[:, 0], feats[:, 1], feats[:, 2:]
    dot = lambda w: jnp.sum(jnp.where(w == 0, 0.0, w * ll), -1)  # noqa: E731
    u_power = dot(path.direction) + path.shift
    u_ref = lp + dot(path.offset + path.direction) + path.shift - lq
    return jnp.stack([u_power, u_ref], -1)


class LadderState(NamedTuple):
    replicas: _moves.ReplicaState  # batched over the K slots (slot k has beta k)
    betas: jax.Array  # (K,) b (power leg) or t (reference leg) of every slot
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
    ref: Mixture  # the run's reference q (one Gaussian, or a mixture over optima)


class StepOutput(NamedTuple):
    z: jax.Array  # (dim,) state at b = 1
    u: jax.Array  # (K, 2) integrands of both legs at every slot
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


def init(z0, betas, log_step, chol, ref, log_prior_fn, loglik_fn) -> LadderState:
    """State of one run from starting points ``z0`` ``(K, dim)``, a ladder ``(K,)``,
    Cholesky factors ``(K, dim, dim)`` of the initial inverse mass matrices and the
    reference ``ref``."""
    k, dim = z0.shape
    reps = jax.vmap(lambda z: _moves.init(z, log_prior_fn, loglik_fn, ref))(z0)
    return LadderState(
        replicas=reps, betas=betas, log_step=log_step, da=_da_reset(log_step),
        chol=chol, w_mean=jnp.zeros((k, dim)), w_m2=jnp.zeros((k, dim, dim)),
        w_n=jnp.zeros(()), rej_sum=jnp.zeros(k - 1),
        rej_n=jnp.zeros(()), swap_sum=jnp.zeros(k - 1), acc_sum=jnp.zeros(k),
        n_kept=jnp.zeros(()), rt=init_round_trips(k), ref=ref,
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


def _per_leg(layout: Layout, betas, new_betas, values, interp):
    """``values`` ``(K, ...)`` moved from ``betas`` to ``new_betas`` leg by leg."""
    out = values
    for _, slots, _ in layout.legs():
        out = out.at[slots].set(interp(new_betas[slots], betas[slots], values[slots]))
    return out


def new_ladder(layout: Layout, betas, rejection):
    """Every leg adapted on its own (:func:`adapt_ladder`); the target stays at 1."""
    out = betas
    for _, slots, pairs in layout.legs():
        out = out.at[slots].set(adapt_ladder(betas[slots], rejection[pairs]))
    return out


def build_kernel(log_prior_fn, loglik_fn, prior_draw_fn, *, move: str, leapfrog_steps: int,
                 moves_per_step: int, target_accept: float, schedule: Schedule,
                 dense: bool = False, layout: Layout | None = None, refit: bool = False,
                 inflation: float = 1.0, loop: bool = False):
    """``step(state, key, t, path) -> (state, StepOutput)`` for one run. ``dense``: adapt
    full mass matrices (covariances) instead of their diagonals. ``layout``: the legs
    (default: one power leg over all slots, given by the state's size). ``refit``: refit
    the Gaussian reference to the target slot (moment matching, covariance times
    ``inflation**2``) at every mass-matrix update of the warm-up. ``loop``: move the
    replicas one after another (``lax.map``) instead of vmapped, for likelihoods whose
    cost depends on the point (adaptive ODE solves): a vmapped batch runs every replica's
    leapfrog steps until the slowest has finished."""
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
            if loop:
                return jax.lax.map(lambda a: kernel(*a, s.ref),
                                   (keys, reps, weights, eps, s.chol))
            return jax.vmap(kernel, in_axes=(0, 0, 0, 0, 0, None))(
                keys, reps, weights, eps, s.chol, s.ref)

        if moves_per_step == 1:
            return one(s.replicas, key)
        reps, acc = jax.lax.scan(one, s.replicas, jax.random.split(key, moves_per_step))
        return reps, jnp.mean(acc, axis=0)

    def adapt(s: LadderState, acc, t, lay: Layout):
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
        # ladder: invert the cumulative barrier of every leg
        new_ladder_now = jnp.isin(n, ladder_at)
        rej = s.rej_sum / jnp.maximum(s.rej_n, 1)
        betas = jnp.where(new_ladder_now, new_ladder(lay, s.betas, rej), s.betas)
        log_step = jnp.where(new_ladder_now, _per_leg(lay, s.betas, betas, log_step, jnp.interp),
                             log_step)
        chol = jnp.where(new_ladder_now, _per_leg(lay, s.betas, betas, chol, interp_chol), chol)
        da = jax.tree_util.tree_map(
            lambda a, b: jnp.where(new_scale, a, b), _da_reset(log_step), da)
        reps, ref = s.replicas, s.ref
        if refit and s.ref.components == 1:  # the reference: moment-matched to the target
            # slot (Surjanovic et al.), at every ladder round and once more at 3W/4; a
            # mixture over optima stays as it is (_reference)
            i = lay.target
            fitted = Mixture.of(moment_matched(w_mean[i], w_m2[i], wn, inflation,
                                               s.ref.component(0)))
            ref = jax.tree_util.tree_map(lambda a, b: jnp.where(new_scale, a, b),
                                         fitted, s.ref)
            log_ref = jax.vmap(lambda z: log_density(ref, z))(reps.z)
            reps = reps._replace(log_ref=jnp.where(jnp.isnan(log_ref), -jnp.inf, log_ref))
        reset = lambda x: jnp.where(new_scale, jnp.zeros_like(x), x)  # noqa: E731
        return s._replace(
            replicas=reps, ref=ref,
            betas=betas, log_step=log_step, da=da, chol=chol, w_mean=reset(w_mean),
            w_m2=reset(w_m2), w_n=reset(wn), rej_sum=jnp.where(new_ladder_now, 0.0, s.rej_sum),
            rej_n=jnp.where(new_ladder_now, 0.0, s.rej_n),
            rt=s.rt._replace(trips=jnp.where(n == warmup, 0, s.rt.trips)),
        )

    def step(s: LadderState, key, t, path: Path):
        lay = layout if layout is not None else Layout(s.betas.shape[0])
        k_move, k_ref, k_swap, k_q = jax.random.split(key, 4)
        weights = slot_weights(s.betas, path, lay)
        reps, acc = moves(k_move, s, weights)
        if lay.power > 1:  # an exact prior draw at b = 0
            fresh = _moves.init(prior_draw_fn(k_ref), log_prior_fn, loglik_fn, s.ref)
            use = path.exact_reference & (path.low == 0)
            reps = jax.tree_util.tree_map(
                lambda r, f: r.at[0].set(jnp.where(use, f, r[0])), reps, fresh)
        if lay.reference > 1:  # an exact draw from q at t = 0
            fresh = _moves.init(draw(s.ref, k_q), log_prior_fn, loglik_fn, s.ref)
            reps = jax.tree_util.tree_map(lambda r, f: r.at[-1].set(f), reps, fresh)
        feats = _moves.features(reps)
        log_ratio = log_swap_ratio(weights, feats)
        prob = swap_probability(log_ratio)
        perm, _ = deo_permutation(k_swap, log_ratio, t % 2)
        reps = jax.tree_util.tree_map(lambda x: x[perm], reps)
        warm = t < warmup
        rt = update_round_trips(s.rt, perm, lay.target, (lay.power > 1) & (path.low == 0),
                                lay.reference > 1)
        s = s._replace(
            replicas=reps, rt=rt,
            rej_sum=s.rej_sum + (1.0 - prob), rej_n=s.rej_n + 1,
            swap_sum=s.swap_sum + jnp.where(warm, 0.0, prob),
            acc_sum=s.acc_sum + jnp.where(warm, 0.0, acc),
            n_kept=s.n_kept + jnp.where(warm, 0.0, 1.0),
        )
        adapted = adapt(s, acc, t, lay)
        s = jax.tree_util.tree_map(lambda a, b: jnp.where(warm, a, b), adapted, s)
        feats = _moves.features(s.replicas)
        i = lay.target
        top = _moves.tempered(feats[i], weights[i])
        return s, StepOutput(s.replicas.z[i], integrands(feats, path), top, acc[i])

    return step
