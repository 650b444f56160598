"""Training an RBM on a target with any objective: optax inside ``lax.scan``, vmapped
over seeds.

The pure kernel is :func:`train_init` / :func:`train_step` on :class:`TrainState`;
:func:`fit` scans it for ``steps`` updates and vmaps the whole run over seeds and, when
given several objectives, over objectives too, so one compiled program trains every
(objective, seed) pair at once. Training data are shared by all runs; seed ``i`` starts
every objective from the same initial parameters and sampler randomness (common random
numbers), so objectives are compared on equal footing.

Several objectives are dispatched with ``lax.switch`` on a vmapped index: every branch is
a few reductions over the same ``u`` arrays, so the extra work is negligible next to the
Gibbs sampling, and the whole comparison compiles once instead of once per objective.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, NamedTuple

import equinox as eqx
import jax
import jax.numpy as jnp
import optax
from jax import Array

from ._errors import OptionError, ShapeError
from ._rbm import RBM, RBMParams
from ._samples import Samples
from .objectives._base import Terms
from .samplers import PCD
from .targets._base import check_spins


class TrainState(NamedTuple):
    """Parameters, optimiser state, model-sampler state and PRNG key of one run."""

    params: RBMParams
    opt_state: Any
    sampler_state: Any
    key: Array


class StepInfo(NamedTuple):
    """Per-step diagnostics (scalars; stacked over steps by :func:`fit`).

    Attributes:
        loss: the objective's value, ``objective.value(data, model)``, where the objective
            has a partition-function-free value (ratio divergence / RD-B, the log-ratio
            variances); else the surrogate (forward and reverse KL and their sum, whose
            values need ``log Z``): see the objective's docstring.
        surrogate: the value of the surrogate ``objective.loss`` that is differentiated
            (for RD-B it adds a score-function term, so it differs from the objective).
        grad_norm: global L2 norm of the gradient.
        energy_error_data: ``sd_data[F + log p~]``: Z-free energy-fit error on the
            training data (nats), cheap enough to record every step.
        finite: whether the step's loss and gradient were finite (else it was skipped).
    """

    loss: Array
    grad_norm: Array
    energy_error_data: Array
    finite: Array
    surrogate: Array


class FitResult(NamedTuple):
    """Result of :func:`fit`; every leaf has a leading seed axis.

    Attributes:
        params: final parameters (``seeds, ...``).
        history: :class:`StepInfo` arrays (``seeds, steps``).
        monitor: outputs of ``monitor(params)`` every ``record_every`` steps
            (``seeds, steps // record_every, ...``) or ``None``.
        state: final :class:`TrainState` (to continue training).
    """

    params: RBMParams
    history: StepInfo
    monitor: Any
    state: TrainState


@dataclass(frozen=True)
class TrainSpec:
    """Static description of a training run for the pure kernel
    :func:`train_init` / :func:`train_step` (hashable; pass it as a static argument).

    Attributes:
        rbm: the architecture.
        objectives: tuple of objective objects (``train_step`` picks one by index).
        sampler: model-expectation option object (``PCD(...)``, ``Exact()``).
        optimizer: an optax transformation.
        init_scale: sd of the initial couplings.
    """

    rbm: RBM
    objectives: tuple
    sampler: Any
    optimizer: optax.GradientTransformation
    init_scale: float = 0.01


def train_init(spec: TrainSpec, key: Array, data: Samples) -> TrainState:
    """Initial parameters, optimiser state and sampler state of one run."""
    kp, ks, kr = jax.random.split(key, 3)
    params = spec.rbm.init(kp, spec.init_scale)
    return TrainState(params=params, opt_state=spec.optimizer.init(params),
                      sampler_state=spec.sampler.init_state(ks, spec.rbm, data), key=kr)


def _surrogate_and_value(objective):
    """``(data, model) -> (surrogate, objective value)``; the value is the surrogate's when
    the objective has no ``value`` method."""

    def both(data, model):
        surrogate = objective.loss(data, model)
        value = objective.value(data, model) if hasattr(objective, "value") else surrogate
        return surrogate, value

    return both


def train_step(spec: TrainSpec, state: TrainState, target, data: Samples,
               log_p_data: Array, objective: Array | int = 0) -> tuple[TrainState, StepInfo]:
    """One update: advance the model sampler, differentiate the surrogate, apply optax.

    ``objective`` indexes ``spec.objectives`` (may be traced, e.g. vmapped)."""
    rbm = spec.rbm
    key, ks = jax.random.split(state.key)
    sampler_state, model = spec.sampler.step(ks, rbm, state.params, state.sampler_state)
    model = jax.lax.stop_gradient(model)
    log_p_model = target.log_unnormalised(model.x)

    def loss_fn(params):
        u_d = rbm.log_unnormalised(params, data.x)
        u_m = rbm.log_unnormalised(params, model.x)
        terms = (Terms(u_d, log_p_data, data.w), Terms(u_m, log_p_model, model.w))
        if len(spec.objectives) == 1:
            surrogate, value = _surrogate_and_value(spec.objectives[0])(*terms)
        else:
            branches = [_surrogate_and_value(o) for o in spec.objectives]
            surrogate, value = jax.lax.switch(objective, branches, *terms)
        return surrogate, (u_d, value)

    (loss, (u_d, value)), grads = jax.value_and_grad(loss_fn, has_aux=True)(state.params)
    updates, opt_state = spec.optimizer.update(grads, state.opt_state, state.params)
    new_params = optax.apply_updates(state.params, updates)
    gnorm = jnp.sqrt(sum(jnp.sum(g * g) for g in jax.tree.leaves(grads)))
    finite = jnp.isfinite(loss) & jnp.isfinite(gnorm)
    keep = lambda new, old: jnp.where(finite, new, old)  # noqa: E731
    params = jax.tree.map(keep, new_params, state.params)
    opt_state = jax.tree.map(keep, opt_state, state.opt_state)
    d = u_d - log_p_data
    dc = d - jnp.sum(data.w * d)
    info = StepInfo(loss=value, grad_norm=gnorm,
                    energy_error_data=jnp.sqrt(jnp.sum(data.w * dc * dc)), finite=finite,
                    surrogate=loss)
    return TrainState(params, opt_state, sampler_state, key), info


@eqx.filter_jit
def _fit(spec: TrainSpec, target, data: Samples, keys: Array, steps: int, record_every: int,
         monitor: Callable | None):
    log_p_data = target.log_unnormalised(data.x)

    def one_run(objective, key):
        state = train_init(spec, key, data)

        def inner(st, _):
            return train_step(spec, st, target, data, log_p_data, objective)

        def outer(st, _):
            st, info = jax.lax.scan(inner, st, None, length=record_every)
            mon = None if monitor is None else monitor(st.params)
            return st, (info, mon)

        state, (info, mon) = jax.lax.scan(outer, state, None, length=steps // record_every)
        info = jax.tree.map(lambda a: a.reshape((-1,) + a.shape[2:]), info)
        return state, info, mon

    over_seeds = jax.vmap(one_run, in_axes=(None, 0))
    if len(spec.objectives) == 1:
        state, info, mon = over_seeds(0, keys)
    else:
        state, info, mon = jax.vmap(over_seeds, in_axes=(0, None))(
            jnp.arange(len(spec.objectives)), keys)
    return FitResult(params=state.params, history=info, monitor=mon, state=state)


def fit(rbm: RBM, target, data, objective, *, key: Array, seeds: int = 1,
        sampler=None, optimizer: optax.GradientTransformation | None = None,
        steps: int = 2000, init_scale: float = 0.01, record_every: int | None = None,
        monitor: Callable[[RBMParams], Any] | None = None) -> FitResult:
    """Train ``rbm`` on ``target`` and ``data`` with ``objective``, for ``seeds`` seeds.

    Args:
        rbm: architecture; ``rbm.n_visible`` must equal ``target.n``.
        target: a :class:`bayesfit.ebm.targets.Target` (its energy enters every
            objective that uses the target energy).
        data: training samples (``N, n``) in {-1, +1} or a :class:`Samples`.
        objective: an objective object (``ForwardKL()``, ``RatioDivergence()``, ...) or
            a sequence of them, trained side by side in one compiled program.
        key: PRNG key; seed ``i`` uses ``jax.random.split(key, seeds)[i]``.
        seeds: independent runs, vmapped.
        sampler: model expectations: ``PCD(chains=256, k=10)`` (default) or ``Exact()``.
        optimizer: an optax transformation; default ``optax.adam(0.02)`` (the prototype's).
        steps: full-batch updates.
        init_scale: sd of the initial couplings ``W``.
        record_every: steps between ``monitor`` calls (must divide ``steps``).
        monitor: optional traceable ``params -> pytree`` recorded every ``record_every``
            steps (e.g. an exact KL for small ``n``).

    Returns:
        :class:`FitResult` with leading axes (seeds,) on every leaf, or
        (objectives, seeds) when a sequence of objectives was given. Steps whose loss or
        gradient is not finite are skipped and flagged in ``history.finite``.

    Reference: docs/specs/ebm.md (prototype setup: Adam 0.02, 2000 steps, m = n).
    """
    n = target.n
    if rbm.n_visible != n:
        raise ShapeError(
            f"fit: the RBM has {rbm.n_visible} visible units but the target has n = {n}; "
            f"use RBM(n_visible={n}, n_hidden=...)."
        )
    if not isinstance(data, Samples):
        data = Samples.uniform(check_spins(data, n, "fit(data=...)"))
    if data.x.ndim != 2:
        raise ShapeError(f"fit: data must be (N, {n}), got shape {data.x.shape}.")
    objectives = tuple(objective) if isinstance(objective, list | tuple) else (objective,)
    for obj in objectives:
        if getattr(obj, "loss", None) is None:
            raise OptionError(
                f"fit: objective must be an objective object (e.g. ForwardKL()), got "
                f"{obj!r}; map names with bayesfit.ebm.objectives.make(name)."
            )
    if not objectives:
        raise OptionError("fit: give at least one objective.")
    record_every = steps if record_every is None else int(record_every)
    if steps < 1 or record_every < 1 or steps % record_every:
        raise OptionError(
            f"fit: steps ({steps}) must be positive and a multiple of record_every "
            f"({record_every})."
        )
    spec = TrainSpec(rbm=rbm, objectives=objectives,
                     sampler=PCD() if sampler is None else sampler,
                     optimizer=_default_adam() if optimizer is None else optimizer,
                     init_scale=float(init_scale))
    data = Samples(jnp.asarray(data.x, jnp.float64), jnp.asarray(data.w, jnp.float64))
    keys = jax.random.split(key, seeds)
    return _fit(spec, target, data, keys, int(steps), record_every, monitor)


_ADAM = {}


def _default_adam() -> optax.GradientTransformation:
    # one shared object, so repeated fits hit the compilation cache
    if "adam" not in _ADAM:
        _ADAM["adam"] = optax.adam(0.02)
    return _ADAM["adam"]
