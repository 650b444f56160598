"""Direct simulation of one-pass SGD on the linear beta-VAE (the ODE's independent check).

One fresh spiked-covariance sample per step; learning rate tau on W and W~, tau/N on D;
time t = step/N. Per-sample loss (expectation over q(z|x) in closed form, constants
dropped): -x^T W mu / sqrt(N) + mu^T Q_W mu / 2 + tr(Q_W D)/2
+ (beta/2) sum_k (mu_k^2 + D_k - log D_k) + lam/(2N) (||W||^2 + ||W~||^2),
mu = W~ x / sqrt(N), Q_W = W^T W / N. Reference: arXiv:2310.15440 (and the authors'
LearningDynamicsVAE simulator, M* = 1).
"""

from __future__ import annotations

import jax
import jax.numpy as jnp

from ._data import Weights, gaussian_weights
from ._ode import Trajectory
from ._overlaps import overlaps_from_weights
from ._schedules import Constant, Schedule
from ._small import diag, diagonal, mm


def sgd_step(w: Weights, x, *, beta, lam, tau) -> Weights:
    """One SGD step on sample ``x`` (N,).

    Products are written as broadcast-and-sum (M is a handful): XLA fuses them into a few
    passes over the N-vectors instead of one library call per tiny matmul.
    """
    N = x.shape[0]
    sq = jnp.sqrt(N)
    mu = jnp.sum(w.W_enc * x, axis=1) / sq  # (M,)
    a = jnp.sum(w.W * x[:, None], axis=0) / sq  # (M,)
    QW = mm(w.W.T, w.W) / N
    g = -a + jnp.sum(QW * mu, axis=1) + beta * mu
    S = mu[:, None] * mu[None, :] + diag(w.D)  # mu mu^T + D
    grad_W = -x[:, None] * mu[None, :] / sq + mm(w.W, S) / N
    grad_enc = g[:, None] * x[None, :] / sq
    grad_D = 0.5 * (diagonal(QW) + beta * (1.0 - 1.0 / w.D))
    return Weights(
        W=w.W - tau * (grad_W + lam * w.W / N),
        W_enc=w.W_enc - tau * (grad_enc + lam * w.W_enc / N),
        D=w.D - tau / N * grad_D,
    )


def simulate_sgd(
    key,
    *,
    N: int,
    rho,
    eta,
    tau,
    schedule: Schedule | float,
    t_max: float,
    n_saves: int = 100,
    lam=0.0,
    M: int = 1,
    W_star=None,
    init: Weights | None = None,
    m0=None,
) -> Trajectory:
    """Run one-pass SGD for t_max * N steps and record the overlaps.

    Parameters: ``N`` input dimension; ``rho`` (M*,) or scalar signal strengths; ``eta``
    noise variance; ``tau`` learning rate; ``schedule`` KL weight (:class:`Schedule` or
    number); ``t_max`` duration in units of N steps; ``n_saves`` equally spaced records
    after t = 0 (t = 0 is record 0); ``lam`` weight decay; ``M`` latents; ``W_star``
    teacher (default: the normalised all-ones vector, as in the authors' code);
    ``init`` initial weights or ``m0`` (see :func:`gaussian_weights`).
    Returns a :class:`Trajectory` with n_saves + 1 times.
    """
    schedule = schedule if isinstance(schedule, Schedule) else Constant(schedule)
    rho = jnp.atleast_1d(jnp.asarray(rho, jnp.float64))
    if W_star is None:
        W_star = jnp.ones((N, 1)) if rho.size == 1 else None
    if W_star is None:
        raise ValueError("pass W_star (N, M*) for M* > 1 factors (see teacher()).")
    M_star = W_star.shape[1]
    k_init, k_run = jax.random.split(key)
    w0 = gaussian_weights(k_init, W_star, M, m0=m0) if init is None else init
    steps = _chunk_size(int(round(t_max * N / n_saves)), total=True)
    sqrt_rho = jnp.sqrt(jnp.broadcast_to(rho, (M_star,)))

    chunk = _chunk_size(steps)

    def one(w, inp):
        x, i = inp
        return sgd_step(w, x, beta=schedule(i / N), lam=lam, tau=tau), None

    def draw(carry, i0):
        # Draw a chunk of samples at once: one large RNG call is much cheaper than
        # `chunk` small ones, and the chunk stays small in memory.
        w, k = carry
        k, kc, kn = jax.random.split(k, 3)
        c = jax.random.normal(kc, (chunk, M_star)) * sqrt_rho
        # float32 draws (cast up) halve the RNG cost, which dominates the run time
        n = jax.random.normal(kn, (chunk, N), dtype=jnp.float32).astype(jnp.float64)
        x = c @ W_star.T / jnp.sqrt(N) + jnp.sqrt(eta) * n
        w, _ = jax.lax.scan(one, w, (x, i0 + jnp.arange(chunk)))
        return (w, k), None

    def block(carry, j):
        starts = j * steps + chunk * jnp.arange(steps // chunk)
        carry, _ = jax.lax.scan(draw, carry, starts)
        return carry, carry[0]

    _, ws = jax.lax.scan(block, (w0, k_run), jnp.arange(n_saves))
    ws = jax.tree_util.tree_map(lambda a, b: jnp.concatenate([a[None], b]), w0, ws)
    ov = jax.vmap(lambda w: overlaps_from_weights(w.W, w.W_enc, w.D, W_star))(ws)
    ts = jnp.arange(n_saves + 1) * steps / N
    return Trajectory(ts=ts, overlaps=ov, beta=jax.vmap(schedule)(ts))


def _chunk_size(steps: int, total: bool = False) -> int:
    """Samples drawn per RNG call (a divisor-friendly 250); with ``total`` the number of
    steps between records, rounded to a multiple of it."""
    chunk = 250
    if total:
        return max(chunk, chunk * round(steps / chunk))
    return chunk
