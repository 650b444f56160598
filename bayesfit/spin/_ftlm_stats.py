"""The FTLM estimator: per S^z sector, the thermal moments of the exact low states and
of each random vector's Lanczos run (Jaklic and Prelovsek, PRB 49, 5065 (1994)).

:func:`stats` is a pure JAX function of the couplings ``jk`` (K) for a built
:class:`~bayesfit.spin.FtlmCluster` (its sectors, buckets, tables, options and batch);
its derivative is a custom JVP: the Jacobian by forward mode over the coupling classes,
then a matrix product, so that reverse mode stores no Krylov vectors.
"""

from __future__ import annotations

from functools import partial
from typing import NamedTuple

import jax
import jax.numpy as jnp
import numpy as np

from ._lanczos import (
    diagonal,
    flip_indices,
    lanczos_lowest,
    lanczos_tridiagonal,
    make_matvec,
    sector_states,
)
from ._matfun import thermal_moments


class Stats(NamedTuple):
    """Per sector (M >= 0): exact part and per-vector FTLM part of the thermal moments.

    ``exact`` (n_sectors, n_T, 3) and ``sampled`` (n_sectors, vectors, n_T, 3) hold
    ``sum (E - s)^k exp(-(E - s)/T)``, k = 0, 1, 2 (K^k), each sampled entry a full-trace
    estimate of the complement; ``shift`` (n_sectors,) the lowest level of each sector
    (K, no gradient); ``levels`` (n_sectors, exact_states) the exact lowest levels (K;
    +inf where a sector has fewer states).
    """

    exact: jax.Array
    sampled: jax.Array
    shift: jax.Array
    levels: jax.Array


def exact_moments(x, betas):
    """``sum x^k exp(-beta x)``, k = 0, 1, 2, of exact levels ``x`` (K) above the shift."""
    ex = jnp.exp(-betas[:, None] * x[None, :])
    return jnp.stack([ex.sum(-1), ex @ x, ex @ (x * x)], axis=-1)


def _dense_stats(cluster, index, jk, betas):
    dim, dense = cluster.sectors[index][1], cluster.sectors[index][3]
    k_x = cluster.options.exact_states
    e = jnp.linalg.eigvalsh(jnp.tensordot(jk, jnp.asarray(dense), axes=1))
    s = jax.lax.stop_gradient(e[0])
    levels = jnp.concatenate([e[:k_x], jnp.full(max(k_x - dim, 0), jnp.inf)])
    sampled = jnp.zeros((cluster.options.vectors, betas.shape[0], 3))
    return exact_moments(e - s, betas), sampled, s, levels


def _bucket_stats(cluster, bucket, jk, betas):
    """FTLM sectors of similar size, padded to one size and run by one ``lax.map``
    (one compiled body per bucket, one sector in memory at a time)."""
    _, size, n_up, dims, offsets = bucket
    opt, t = cluster.options, cluster.tables
    cls = np.asarray(cluster.bond_class)
    scale = jax.lax.stop_gradient(jnp.sum(jnp.abs(jk[cls])) + 1e-300)

    def sector(args):
        n_up, dim, off = args
        valid = jnp.arange(size) < dim
        states = sector_states(t, off, n_up, dim, size)
        idx, differ = flip_indices(states, off, jnp.asarray(t.lo_rank), cluster.bonds, t.n_lo)
        differ = differ & valid[None, :]
        matvec = make_matvec(diagonal(differ, cls, jk), idx, differ, 0.5 * jk[cls])
        k0, k1 = jax.random.split(jax.random.fold_in(jax.random.PRNGKey(opt.seed), n_up))

        def unit(key):
            r = jnp.where(valid, jax.random.normal(key, (size,)), 0.0)
            return r / jnp.linalg.norm(r)

        # two runs: the second, orthogonal to the first's states, finds degenerate
        # partners (e.g. +-k states of a ring) a single Krylov space cannot see
        k0, k2 = jax.random.split(k0)
        n1 = (opt.exact_states + 1) // 2
        e, psi, _ = lanczos_lowest(matvec, unit(k0), opt.exact_steps, n1, scale)
        if opt.exact_states > n1:
            e2, psi2, _ = lanczos_lowest(
                matvec, unit(k2), opt.exact_steps, opt.exact_states - n1, scale, deflate=psi
            )
            e, psi = jnp.concatenate([e, e2]), jnp.concatenate([psi, psi2])
        s = jax.lax.stop_gradient(jnp.min(e))

        def one(key):
            r = unit(key)
            for _ in range(2):
                r = r - psi.T @ (psi @ r)
            n2 = jnp.vdot(r, r)
            tri = lanczos_tridiagonal(matvec, r / jnp.sqrt(n2), opt.steps, scale)
            return dim.astype(float) * n2 * thermal_moments(tri.alpha, tri.beta, s, betas)

        keys = jax.random.split(k1, opt.vectors)
        if cluster.batch >= opt.vectors:
            sampled = jax.vmap(one)(keys)
        else:
            sampled = jax.lax.map(one, keys, batch_size=cluster.batch)
        return exact_moments(e - s, betas), sampled, s, e

    args = (jnp.asarray(n_up), jnp.asarray(dims, jnp.int32), jnp.asarray(offsets))
    return jax.lax.map(sector, args)


def _stats_impl(cluster, jk, betas):
    parts = {}
    for i, sec in enumerate(cluster.sectors):
        if sec[3] is not None:
            parts[i] = _dense_stats(cluster, i, jk, betas)
    for bucket in cluster.buckets:
        out = _bucket_stats(cluster, bucket, jk, betas)
        for k, i in enumerate(bucket[0]):
            parts[i] = tuple(o[k] for o in out)
    ordered = [parts[i] for i in range(len(cluster.sectors))]
    return Stats(*(jnp.stack(p) for p in zip(*ordered, strict=True)))


@partial(jax.custom_jvp, nondiff_argnums=(0,))
def stats(cluster, jk, betas) -> Stats:
    """:class:`Stats` of ``cluster`` at inverse temperatures ``betas`` (1/K) for couplings
    ``jk`` (K, convention prefactor included); differentiable in ``jk``."""
    return _stats_impl(cluster, jk, betas)


@stats.defjvp
def _stats_jvp(cluster, primals, tangents):
    jk, betas = primals
    d_jk, _ = tangents

    def f(j):
        return _stats_impl(cluster, j, betas)

    eye = jnp.eye(jk.shape[0], dtype=jk.dtype)
    out, jac = jax.vmap(lambda v: jax.jvp(f, (jk,), (v,)), out_axes=(None, 0))(eye)
    tangent = jax.tree.map(lambda j: jnp.tensordot(d_jk, j, axes=1), jac)
    return out, tangent
