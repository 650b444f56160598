"""The compiled bodies of :class:`~bayesfit.spin.FtlmCluster`'s observables: pure JAX
functions of a parameter dict that turn the FTLM moments (:mod:`._ftlm_stats`) into
thermal averages (:mod:`._ftlm_thermo`), add the additive terms (:mod:`._additive`), and
return each value with its jackknife sd over the random vectors."""

from __future__ import annotations

import jax
import jax.numpy as jnp

from . import _additive
from ._checks import check_params
from ._ftlm_thermo import combine, jackknife_sd
from ._thermo import ground_weights
from ._units import CURIE_CGS, MU_B_OVER_K


def unpack(cluster, params):
    """``(jk, g)``: the couplings in K (convention prefactor included) and the g value."""
    check_params(params, cluster.spec.parameter_names, cluster._where)
    sp = cluster.spec
    jk = jnp.stack([jnp.asarray(params[n], float) for n in sp.coupling_names])
    return jk * sp.prefactor * cluster.to_k, jnp.asarray(params[sp.g_names[0]], float)


def _combine(cluster, st, betas, h):
    return combine(st, betas, h, cluster.two_m, cluster.options.vectors)


def chi(cluster, params, t):
    """(chi, sd) of the cluster with the additive terms, emu/mol per f.u., at ``t`` (K,
    1-D)."""
    jk, g = unpack(cluster, params)
    betas = 1.0 / t
    st = cluster.stats(jk, betas)
    _, _, _, _, m_sq = _combine(cluster, st, betas, jnp.zeros_like(t))
    chi_cl = CURIE_CGS * g**2 * m_sq / t / cluster.spec.formula_units
    out = jax.vmap(
        lambda c: _additive.susceptibility(
            params, c, t, g, cluster.spec.prefactor, cluster.to_k, cluster._imp_two_s
        )
    )(chi_cl)
    return out[0], jackknife_sd(out[1:])


def moment(cluster, params, b, t):
    """(M, sd) in mu_B per f.u. at fields ``b`` (T) and ``t`` (K), both 1-D, equal length."""
    jk, g = unpack(cluster, params)
    betas = 1.0 / t
    st = cluster.stats(jk, betas)

    def one(bb):
        out = _combine(cluster, st, betas, g * MU_B_OVER_K * bb)[3]
        return g * out / cluster.spec.formula_units

    def total(k):
        return _additive.magnetization(
            params,
            lambda bb: one(bb)[k],
            b,
            t,
            g,
            cluster.spec.prefactor,
            cluster.to_k,
            cluster._imp_two_s,
        )

    vals = jnp.stack([total(k) for k in range(1 + cluster.options.vectors)])
    return vals[0], jackknife_sd(vals[1:])


def thermo(cluster, params, t, field):
    """((C/k_B, sd), (S/k_B, sd)) per formula unit at ``t`` (K) and ``field`` (T)."""
    jk, g = unpack(cluster, params)
    betas = 1.0 / t
    st = cluster.stats(jk, betas)
    h = g * MU_B_OVER_K * jnp.broadcast_to(field, t.shape)
    log_z, e_mean, e_var, _, _ = _combine(cluster, st, betas, h)
    fu = cluster.spec.formula_units
    c = e_var * betas**2 / fu
    s = (log_z + betas * e_mean) / fu
    return (c[0], jackknife_sd(c[1:])), (s[0], jackknife_sd(s[1:]))


def ground(cluster, params):
    """Sorted exact low levels (K) of all sectors with their M, and d E_0 / d jk."""
    jk, _ = unpack(cluster, params)

    def levels(j):
        return cluster.stats(j, jnp.ones(1)).levels

    lv = levels(jk)

    def e_ground(j):
        e = levels(j)
        flat = e.reshape(-1)
        finite = jnp.where(jnp.isfinite(flat), flat, jnp.max(jnp.where(
            jnp.isfinite(flat), flat, -jnp.inf)))
        w = ground_weights(finite, jnp.zeros_like(finite))
        return jnp.sum(w * finite)

    return lv, jax.grad(e_ground)(jk)


def stats_at(cluster, params, t):
    """The :class:`~bayesfit.spin._ftlm_stats.Stats` at temperatures ``t`` (K)."""
    jk, _ = unpack(cluster, params)
    return cluster.stats(jk, 1.0 / t)
