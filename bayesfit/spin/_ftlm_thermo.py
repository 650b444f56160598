"""Thermal averages of an FTLM estimate: the sectors' moments combined into ln Z, <E>,
var E, <M> and <M^2>, for the plain estimate and each leave-one-out (jackknife) one, and
the jackknife standard deviation over the random vectors."""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np

from ._ftlm_stats import Stats


def combine(st: Stats, betas, h, two_m, vectors: int):
    """Per temperature (and Zeeman energy ``h = g mu_B B / k_B`` in K per unit M):
    ``(ln Z, <E>, var E, <M>, <M^2>)`` for the plain estimate and each leave-one-out
    (jackknife) estimate; leading axis 1 + vectors. Energies relative to the lowest
    level (K). ``two_m`` (NumPy): 2 M of each sector (M >= 0; -M is added by spin flip);
    ``vectors``: random vectors per sector."""
    r = vectors
    tot = st.sampled.sum(1)
    loo = st.exact[:, None] + (tot[:, None] - st.sampled) / (r - 1)
    q = jnp.concatenate([(st.exact + tot / r)[:, None], loo], axis=1)  # (S, 1+R, nT, 3)
    q = jnp.moveaxis(q, 1, 0)  # (1+R, S, nT, 3)
    m = two_m / 2.0
    msig = jnp.asarray(m[:, None] * np.array([1.0, -1.0]))[None, :, None, :]  # +M, -M
    log_mult = jnp.asarray(np.where(np.arange(2)[None, :] < (m[:, None] > 0) + 1, 0.0,
                                    -np.inf))[None, :, None, :]
    s = (st.shift - jnp.min(st.shift))[None, :, None, None]
    q0 = jnp.maximum(q[..., 0], 1e-300)
    mean = q[..., 1] / q0
    var = jnp.maximum(q[..., 2] / q0 - mean**2, 0.0)
    bt = betas[None, None, :, None]
    zeeman = h[None, None, :, None] * msig
    lw = jnp.log(q0)[..., None] - bt * s + bt * zeeman + log_mult  # (1+R, S, nT, 2)
    log_z = jax.nn.logsumexp(lw, axis=(1, 3))
    p = jnp.exp(lw - log_z[:, None, :, None])
    e_sec = s + mean[..., None] - zeeman
    e_mean = jnp.sum(p * e_sec, axis=(1, 3))
    e_var = jnp.sum(p * (var[..., None] + (e_sec - e_mean[:, None, :, None]) ** 2), (1, 3))
    m_mean = jnp.sum(p * msig, axis=(1, 3))
    m_sq = jnp.sum(p * msig**2, axis=(1, 3))
    return log_z, e_mean, e_var, m_mean, m_sq


def jackknife_sd(loo):
    """Jackknife sd from the leave-one-out estimates (axis 0)."""
    r = loo.shape[0]
    var = (r - 1) / r * jnp.sum((loo - loo.mean(0)) ** 2, axis=0)
    pos = var > 0  # exactly 0 where the sampled part underflows (low T): no NaN gradient
    return jnp.where(pos, jnp.sqrt(jnp.where(pos, var, 1.0)), 0.0)
