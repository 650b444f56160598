"""2-D Ising model on L x L tori: Swendsen-Wang cluster updates in JAX.

Energy ``E = -J sum_<ij> s_i s_j`` with ``J = 1`` and ``k_B = 1``: temperatures are in
units of ``J / k_B``. The exact critical temperature is ``2 / ln(1 + sqrt 2) = 2.26919``
(Onsager). Swendsen-Wang (PRL 58, 86 (1987)): a bond between equal neighbours is
activated with probability ``1 - exp(-2 / T)``; every cluster of the activated-bond
graph is flipped with probability 1/2. Clusters are labelled by hooking and
pointer jumping inside a ``lax.while_loop``, so one sweep is a pure, jit- and
vmap-able function (vmapped over temperatures and replicas in :func:`simulate`).
"""

from __future__ import annotations

from typing import NamedTuple

import jax
import jax.numpy as jnp
import numpy as np

T_CRITICAL = 2.0 / np.log(1.0 + np.sqrt(2.0))


class IsingState(NamedTuple):
    """One replica: spins (L, L) as int32 +-1, and its PRNG key."""

    spins: jax.Array
    key: jax.Array


def init(key: jax.Array, size: int, hot: bool = True) -> IsingState:
    """A random (``hot``) or all-up start on a ``size x size`` torus."""
    k1, k2 = jax.random.split(key)
    if hot:
        spins = jnp.where(jax.random.bernoulli(k1, 0.5, (size, size)), 1, -1).astype(jnp.int32)
    else:
        spins = jnp.ones((size, size), jnp.int32)
    return IsingState(spins, k2)


def cluster_labels(bond_right: jax.Array, bond_down: jax.Array) -> jax.Array:
    """A root label for every site: equal within a cluster, distinct between clusters.

    ``bond_right[i, j]`` links site (i, j) with (i, j+1 mod L), ``bond_down[i, j]`` with
    (i+1 mod L, j). Hooking and pointer jumping (Shiloach-Vishkin style): every active
    bond hooks the larger of its two end labels onto the smaller one (a scatter-min), then
    labels jump to their label's label; repeated until every bond joins equal labels.
    Labels only decrease and always name a site of the same cluster, so the fixed point
    is one root per cluster; it is reached in O(log N) rounds on typical graphs.
    """
    n = bond_right.size
    size_x = bond_right.shape[1]
    idx = jnp.arange(n, dtype=jnp.int32)
    right = (idx // size_x) * size_x + (idx % size_x + 1) % size_x
    down = (idx + size_x) % n
    src = jnp.concatenate([idx, idx])
    dst = jnp.concatenate([right, down])
    active = jnp.concatenate([bond_right.ravel(), bond_down.ravel()])

    def body(carry):
        p, _ = carry
        pu, pv = p[src], p[dst]
        lo = jnp.minimum(pu, pv)
        hi = jnp.where(active & (pu != pv), jnp.maximum(pu, pv), n)
        q = jnp.concatenate([p, jnp.array([n], jnp.int32)]).at[hi].min(lo)[:n]
        q = q[q]
        q = q[q]
        return q, jnp.any(q != p)

    p, _ = jax.lax.while_loop(lambda c: c[1], body, (idx, jnp.bool_(True)))
    return p.reshape(bond_right.shape)


def step(state: IsingState, temperature: jax.Array) -> IsingState:
    """One Swendsen-Wang sweep at ``temperature`` (units of J / k_B)."""
    key, k_bond, k_flip = jax.random.split(state.key, 3)
    s = state.spins
    p = -jnp.expm1(-2.0 / temperature)
    u = jax.random.uniform(k_bond, (2,) + s.shape)
    bond_right = (s == jnp.roll(s, -1, axis=1)) & (u[0] < p)
    bond_down = (s == jnp.roll(s, -1, axis=0)) & (u[1] < p)
    lab = cluster_labels(bond_right, bond_down)
    flip = jax.random.bernoulli(k_flip, 0.5, (s.size,))
    s = jnp.where(flip[lab], -s, s)
    return IsingState(s, key)


def energy_magnetisation(spins: jax.Array) -> tuple[jax.Array, jax.Array]:
    """Energy per site (units of J) and magnetisation per site of one configuration."""
    s = spins.astype(jnp.float64)
    bonds = s * jnp.roll(s, -1, axis=1) + s * jnp.roll(s, -1, axis=0)
    n = s.size
    return -jnp.sum(bonds) / n, jnp.sum(s) / n


class IsingSeries(NamedTuple):
    """Per-sweep time series, shape (n_temperatures, n_replicas, n_sweeps)."""

    temperatures: np.ndarray
    size: int
    energy: np.ndarray
    magnetisation: np.ndarray


def _run(key, size, temperatures, n_replicas, n_sweeps, n_thermalise):
    keys = jax.random.split(key, temperatures.shape[0] * n_replicas)
    states = jax.vmap(lambda k: init(k, size))(keys)
    temps = jnp.repeat(temperatures, n_replicas)
    sweep = jax.vmap(step)

    def measure(st, _):
        st = sweep(st, temps)
        e, m = jax.vmap(energy_magnetisation)(st.spins)
        return st, (e, m)

    _, (e, m) = jax.lax.scan(measure, states, None, length=n_thermalise + n_sweeps)
    shape = (temperatures.shape[0], n_replicas, n_sweeps)
    return e[n_thermalise:].T.reshape(shape), m[n_thermalise:].T.reshape(shape)


_run_jit = jax.jit(_run, static_argnums=(1, 3, 4, 5))


def simulate_ising(
    size: int,
    temperatures,
    n_sweeps: int,
    *,
    n_replicas: int = 1,
    n_thermalise: int = 200,
    seed: int = 0,
) -> IsingSeries:
    """Swendsen-Wang simulation of the ``size x size`` Ising torus at every temperature.

    All temperatures and replicas advance together (one vmapped sweep); after
    ``n_thermalise`` sweeps, energy and magnetisation per site are recorded after every
    sweep. Deterministic for a given ``seed``.
    """
    temps = jnp.asarray(np.atleast_1d(np.asarray(temperatures, dtype=np.float64)))
    e, m = _run_jit(jax.random.PRNGKey(seed), int(size), temps, int(n_replicas),
                    int(n_sweeps), int(n_thermalise))
    return IsingSeries(np.asarray(temps), int(size), np.asarray(e), np.asarray(m))
