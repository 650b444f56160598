"""All metrics of fitted RBMs against a target, per seed: exact (small n) or sampled."""

from __future__ import annotations

from functools import partial
from typing import NamedTuple

import jax
import jax.numpy as jnp
import numpy as np
from jax import Array

from .._ais import ais_log_Z
from .._rbm import RBM, RBMParams
from .._states import map_states
from ..samplers._gibbs import gibbs
from ..targets._enumerate import Enumeration
from ._energy import energy_fit_exact, energy_fit_samples
from ._kl import kl_estimate, kl_exact
from ._modes import Basins, basins, coverage_exact, coverage_samples


class ExactReference(NamedTuple):
    """Target quantities computed once per target: its enumeration and basins."""

    enumeration: Enumeration
    basins: Basins


def exact_reference(target, **kwargs) -> ExactReference:
    """Enumerate ``target`` (refusing sizes that do not fit) and find its basins."""
    enum = target.enumerate(**kwargs)
    return ExactReference(enumeration=enum, basins=basins(enum.energy, enum.log_p))


@partial(jax.jit, static_argnums=0)
def _rbm_tables(rbm: RBM, params: RBMParams):
    F = map_states(lambda s: rbm.free_energy(params, s), rbm.n_visible)
    return F, -F - jax.nn.logsumexp(-F)


def _seeds(params: RBMParams) -> list[RBMParams]:
    if params.a.ndim == 1:
        return [params]
    return [jax.tree.map(lambda a, i=i: a[i], params) for i in range(params.a.shape[0])]


def evaluate_exact(rbm: RBM, params: RBMParams, ref: ExactReference, *,
                   min_mass: float = 0.01, ratio: float = 0.5) -> dict[str, np.ndarray]:
    """Exact metrics for each seed of ``params`` (leading seed axis optional).

    Returns a dict of per-seed arrays: ``kl_pq``, ``kl_qp`` (nats), ``energy_error``
    (p-weighted ``sd[F - E]``, nats), ``energy_error_uniform``, ``modes_covered``,
    ``modes_total``, ``basin_tv`` and ``mode_q_over_p`` (seeds, modes): the q/p mass ratio
    of each mode, modes in decreasing p mass.
    """
    enum = ref.enumeration
    rows = []
    for p in _seeds(params):
        F, log_q = _rbm_tables(rbm, p)
        kl = kl_exact(enum.log_p, log_q)
        ef = energy_fit_exact(enum.energy, F, enum.log_p)
        cov = coverage_exact(ref.basins, log_q, min_mass=min_mass, ratio=ratio)
        rows.append({
            "kl_pq": float(kl.pq), "kl_qp": float(kl.qp),
            "energy_error": float(ef.weighted), "energy_error_uniform": float(ef.uniform),
            "modes_covered": cov.covered, "modes_total": cov.total,
            "basin_tv": cov.basin_tv, "mode_q_over_p": cov.q_mass / cov.p_mass,
        })
    return {k: np.array([r[k] for r in rows]) for k in rows[0]}


_gibbs_jit = jax.jit(gibbs, static_argnums=(1, 4))


def evaluate_sampled(rbm: RBM, params: RBMParams, target, x_heldout: Array, key: Array, *,
                     log_Z_p: float, chains: int = 2000, sweeps: int = 1000,
                     ais_steps: int = 2000, min_mass: float = 0.01,
                     ratio: float = 0.5) -> dict[str, np.ndarray]:
    """Sampled metrics for each seed, for ``n`` too large to enumerate.

    ``x_heldout`` are target samples not used in training (exact, PT, ...); ``log_Z_p`` is
    the target's log normaliser (exact, or :func:`bayesfit.ebm.ais_log_Z_target`). RBM
    samples come from ``chains`` block-Gibbs chains run ``sweeps`` sweeps from random
    spins; ``log Z_q`` is exact by hidden enumeration when ``n_hidden <= 20``, else AIS.
    Returns ``kl_pq``, ``kl_qp``, ``energy_error`` (``sd[F - E]`` on ``x_heldout``),
    ``modes_covered``, ``modes_total``, ``basin_tv`` per seed.
    """
    rows = []
    lp_p = target.log_unnormalised(x_heldout)
    for i, p in enumerate(_seeds(params)):
        kq, ka, kg = jax.random.split(jax.random.fold_in(key, i), 3)
        x0 = jax.random.rademacher(kq, (chains, rbm.n_visible), dtype=jnp.float64)
        x_q = _gibbs_jit(kg, rbm, p, x0, sweeps)
        if rbm.n_hidden <= 20:
            log_Z_q = rbm.log_Z(p, "hidden")
        else:
            log_Z_q = ais_log_Z(rbm, p, ka, steps=ais_steps).log_Z
        u_p = rbm.log_unnormalised(p, x_heldout)
        u_q = rbm.log_unnormalised(p, x_q)
        kl = kl_estimate(lp_p, u_p, target.log_unnormalised(x_q), u_q, log_Z_p, log_Z_q)
        cov = coverage_samples(target, x_heldout, x_q, min_mass=min_mass, ratio=ratio)
        rows.append({
            "kl_pq": float(kl.pq), "kl_qp": float(kl.qp),
            "energy_error": float(energy_fit_samples(-lp_p, -u_p)),
            "modes_covered": cov.covered, "modes_total": cov.total,
            "basin_tv": cov.basin_tv,
        })
    return {k: np.array([r[k] for r in rows]) for k in rows[0]}
