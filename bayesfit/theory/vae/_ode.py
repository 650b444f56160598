"""Integrate the order-parameter ODE of the online linear beta-VAE with diffrax.

The solution is differentiable (reverse mode, diffrax's recursive checkpointing) with
respect to every parameter, the schedule's numbers and the initial overlaps.
Reference: Ichikawa & Hukushima, arXiv:2310.15440.
"""

from __future__ import annotations

from typing import NamedTuple

import diffrax
import jax
import jax.numpy as jnp

from ._coords import Direct, LogCholesky
from ._drift import drift
from ._overlaps import Overlaps
from ._schedules import Constant, Schedule


class Trajectory(NamedTuple):
    """Overlaps at the save times ``ts`` (leading axis) and the KL weight beta(ts)."""

    ts: jnp.ndarray
    overlaps: Overlaps
    beta: jnp.ndarray


def _field(t, y, args):
    coords, schedule, rho, eta, lam, tau = args
    ov = coords.to_overlaps(y)
    dov = drift(ov, rho=rho, eta=eta, beta=schedule(t), lam=lam, tau=tau)
    return coords.vector_field(y, ov, dov)


# One module-level term: diffrax's compiled solve is cached on it, so repeated calls with
# new parameter values (which travel in ``args``) do not recompile.
_TERM = diffrax.ODETerm(_field)

BLOW_UP = 1e6


def _diverged(t, y, args, **kwargs):
    """Stop as soon as the state leaves any physical range (SGD unstable at this tau):
    a sampler's wild proposal then costs a few steps instead of the step limit."""
    big = [jnp.any(~(jnp.abs(a) < BLOW_UP)) for a in jax.tree_util.tree_leaves(y)]
    return jnp.any(jnp.stack(big))


_EVENT = diffrax.Event(_diverged)


def default_coords(M: int):
    """:class:`Direct` for one latent, :class:`LogCholesky` (PSD-safe) for M >= 2."""
    return Direct() if M == 1 else LogCholesky()


def solve_overlaps(
    ts,
    init: Overlaps,
    *,
    rho,
    eta,
    tau,
    schedule: Schedule | float,
    lam=0.0,
    coords=None,
    solver=None,
    stepsize_controller=None,
    max_steps: int = 8192,
) -> Trajectory:
    """Order parameters of one-pass SGD on the linear beta-VAE at times ``ts``.

    Parameters
    ----------
    ts:
        Save times, non-decreasing, >= 0, in units of SGD steps / N. The integration runs
        from t = 0 to ``ts[-1]``.
    init:
        Overlaps at t = 0 (see :func:`initial_overlaps`).
    rho, eta:
        Signal strengths of the M* factors (scalar or (M*,)) and noise variance of the
        spiked covariance data x = W* P^(1/2) c / sqrt(N) + sqrt(eta) n.
    tau:
        SGD learning rate (W and W~; D uses tau/N).
    schedule:
        KL weight: a :class:`Schedule` (:class:`Constant`, :class:`Linear`, :class:`Tanh`)
        or a number (constant beta).
    lam:
        Weight decay (the loss has lam/(2N) (||W||^2 + ||W~||^2)).
    coords:
        :class:`Direct` or :class:`LogCholesky`; default :func:`default_coords`.
    solver, stepsize_controller, max_steps:
        diffrax options (default Tsit5 with PID control at rtol 1e-7, atol 1e-9). A solve
        that fails (step limit reached, or a coordinate beyond 1e6: SGD diverges at this
        learning rate) returns NaN overlaps.
    """
    if not isinstance(schedule, Schedule):
        schedule = Constant(schedule)
    M = init.Q.shape[-1]
    coords = default_coords(M) if coords is None else coords
    solver = diffrax.Tsit5() if solver is None else solver
    if stepsize_controller is None:
        stepsize_controller = diffrax.PIDController(rtol=1e-7, atol=1e-9)
    ts = jnp.asarray(ts, jnp.float64)

    # Numbers travel as float64 arrays: diffrax's filter_jit would treat Python floats as
    # static and recompile for every new value.
    as_array = lambda x: jnp.asarray(x, jnp.float64)  # noqa: E731
    schedule = jax.tree_util.tree_map(as_array, schedule)
    args = (coords, schedule, as_array(rho), as_array(eta), as_array(lam), as_array(tau))
    sol = diffrax.diffeqsolve(
        _TERM,
        solver,
        t0=0.0,
        t1=ts[-1],
        dt0=None,
        y0=coords.to_state(init),
        args=args,
        saveat=diffrax.SaveAt(ts=ts),
        stepsize_controller=stepsize_controller,
        max_steps=max_steps,
        event=_EVENT,
        throw=False,
    )
    # A failed solve (step limit, divergence: e.g. a sampler's wild proposal) gives
    # NaN overlaps, which a likelihood turns into a rejected proposal, instead of an
    # exception that would stop the sampler.
    ok = sol.result == diffrax.RESULTS.successful
    ys = jax.tree_util.tree_map(lambda a: jnp.where(ok, a, jnp.nan), sol.ys)
    overlaps = jax.vmap(coords.to_overlaps)(ys)
    return Trajectory(ts=ts, overlaps=overlaps, beta=jax.vmap(schedule)(ts))
