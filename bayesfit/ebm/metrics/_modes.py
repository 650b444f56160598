"""Mode coverage: zero-temperature descent basins of the target and the RBM's mass in
each.

A *basin* is the set of states that greedy single-spin-flip descent on the target energy
(always taking the flip that lowers ``E`` most; ties to the lowest spin index) carries to
the same local minimum. A *mode* is a basin holding at least ``min_mass`` of ``p``; it is
*covered* if ``q`` gives it at least ``ratio`` times ``p``'s mass.
"""

from __future__ import annotations

from functools import partial
from typing import NamedTuple

import jax
import jax.numpy as jnp
import numpy as np
from jax import Array

from .._states import spins_to_index


class Basins(NamedTuple):
    """``label`` (``2**n,``): index of the local minimum each state descends to;
    ``p_mass`` (``2**n,``): target mass collected at each minimum's index (zero elsewhere)."""

    label: Array
    p_mass: Array


class Coverage(NamedTuple):
    """Mode-coverage summary (host numpy values).

    Attributes:
        modes: state indices of the modes' minima, by decreasing ``p`` mass.
        p_mass, q_mass: mass of ``p`` and ``q`` in each mode's basin.
        covered: number of modes with ``q_mass >= ratio * p_mass``.
        total: number of modes.
        basin_tv: total-variation distance between the basin-mass distributions of p
            and q over *all* basins.
    """

    modes: np.ndarray
    p_mass: np.ndarray
    q_mass: np.ndarray
    covered: int
    total: int
    basin_tv: float


@jax.jit
def _descent_pointer(energy: Array) -> Array:
    size = energy.shape[0]
    n = size.bit_length() - 1
    idx = jnp.arange(size, dtype=jnp.int64)

    def body(i, carry):
        best_e, best = carry
        j = idx ^ (jnp.int64(1) << i)
        e = energy[j]
        better = e < best_e
        return jnp.where(better, e, best_e), jnp.where(better, j, best)

    _, nxt = jax.lax.fori_loop(0, n, body, (energy, idx))
    return nxt


@jax.jit
def _pointer_jump(nxt: Array) -> Array:
    def cond(c):
        return c[1]

    def body(c):
        p, _ = c
        q = p[p]
        return q, jnp.any(q != p)

    out, _ = jax.lax.while_loop(cond, body, (nxt, jnp.array(True)))
    return out


def basins(energy: Array, log_p: Array) -> Basins:
    """Basins of greedy single-flip descent from the full energy table (``2**n,``).

    Uses the index arithmetic of :mod:`bayesfit.ebm` states (flip ``i`` is ``k ^ 2**i``),
    so it needs only the energy table: O(n 2**n) time, O(2**n) memory.
    """
    label = _pointer_jump(_descent_pointer(energy))
    p_mass = jax.ops.segment_sum(jnp.exp(log_p), label, num_segments=energy.shape[0])
    return Basins(label=label, p_mass=p_mass)


def coverage_exact(b: Basins, log_q: Array, *, min_mass: float = 0.01,
                   ratio: float = 0.5) -> Coverage:
    """Coverage of the target's modes by a model with log-probabilities ``log_q``."""
    q_mass = jax.ops.segment_sum(jnp.exp(log_q), b.label, num_segments=log_q.shape[0])
    pm, qm = np.asarray(b.p_mass), np.asarray(q_mass)
    modes = np.nonzero(pm >= min_mass)[0]
    modes = modes[np.argsort(-pm[modes], kind="stable")]
    covered = int(np.sum(qm[modes] >= ratio * pm[modes]))
    return Coverage(modes=modes, p_mass=pm[modes], q_mass=qm[modes], covered=covered,
                    total=int(modes.size), basin_tv=float(0.5 * np.abs(pm - qm).sum()))


def descend(target, x: Array, max_steps: int | None = None) -> Array:
    """Greedy single-flip descent of spins ``x`` (``N, n``) on the target energy to
    local minima (``N, n``). Each step evaluates the energy of all ``n`` flips."""
    n = x.shape[-1]
    max_steps = 4 * n if max_steps is None else max_steps
    return _descend(target, jnp.asarray(x, jnp.float64), max_steps)


@partial(jax.jit, static_argnames="max_steps")
def _descend(target, x, max_steps):
    n = x.shape[-1]
    flips = 1.0 - 2.0 * jnp.eye(n)

    def step(c):
        x, _, k = c
        e0 = target.energy(x)
        cand = x[:, None, :] * flips[None]
        e = target.energy(cand)  # (N, n)
        i = jnp.argmin(e, axis=1)
        better = jnp.take_along_axis(e, i[:, None], 1)[:, 0] < e0
        x = jnp.where(better[:, None], cand[jnp.arange(x.shape[0]), i], x)
        return x, jnp.any(better), k + 1

    x, _, _ = jax.lax.while_loop(lambda c: c[1] & (c[2] < max_steps), step,
                                 (x, jnp.array(True), 0))
    return x


def coverage_samples(target, x_p: Array, x_q: Array, *, min_mass: float = 0.01,
                     ratio: float = 0.5) -> Coverage:
    """Large-n mode coverage from samples: descend target samples ``x_p`` and RBM samples
    ``x_q`` to local minima and compare the minima's frequencies. ``modes`` are given as
    state indices (``n <= 62``) or row numbers of the unique minima otherwise."""
    mp, mq = np.asarray(descend(target, x_p)), np.asarray(descend(target, x_q))
    both = np.concatenate([mp, mq]) > 0
    uniq, inv = np.unique(both, axis=0, return_inverse=True)
    inv = inv.reshape(-1)
    fp = np.bincount(inv[: len(mp)], minlength=len(uniq)) / len(mp)
    fq = np.bincount(inv[len(mp):], minlength=len(uniq)) / len(mq)
    modes = np.nonzero(fp >= min_mass)[0]
    modes = modes[np.argsort(-fp[modes], kind="stable")]
    covered = int(np.sum(fq[modes] >= ratio * fp[modes]))
    if uniq.shape[1] <= 62:
        ids = np.asarray(spins_to_index(jnp.asarray(2.0 * uniq[modes] - 1.0)))
    else:
        ids = modes
    return Coverage(modes=ids, p_mass=fp[modes], q_mass=fq[modes], covered=covered,
                    total=int(modes.size), basin_tv=float(0.5 * np.abs(fp - fq).sum()))
