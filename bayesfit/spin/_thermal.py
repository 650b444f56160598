"""Thermal averages <A> = Tr(A e^{-H/T}) / Tr(e^{-H/T}) with gradients safe at degeneracies.

``jnp.linalg.eigh`` differentiates eigenvectors with factors 1/(E_n - E_m), which are
infinite for degenerate levels (Kambe-type degeneracies in symmetric clusters, Kramers
doublets), so autodiff through ``<n|A|n>`` gives NaN there even though ``<A>`` is smooth.
:func:`thermal_average` has its own JVP, the Daleckii-Krein formula

    d<A> = Tr(dA rho) - (1/Z) sum_nm A_mn dH_nm K(E_n, E_m) + <A> sum_n p_n dH_nn / T
           + (<A E> - <A><E>) dT / T^2,

with ``K(a, b) = (e^{-a/T} - e^{-b/T}) / (b - a)`` (limit e^{-a/T}/T), matrix elements in
the eigenbasis. ``K`` is continuous and constant on degenerate subspaces, so the result
does not depend on how ``eigh`` picks vectors there. Forward and reverse mode work (the
tangent is linear in dH, dA, dT), and the average runs over several blocks sharing one Z.
Reference: Daleckii & Krein, AMS Transl. 47, 1 (1965); Kubo, J. Phys. Soc. Jpn. 12, 570
(1957).
"""

from __future__ import annotations

import jax
import jax.numpy as jnp

from ._kubo import kubo_kernel


def _decompose(hs, t):
    eig = [jnp.linalg.eigh(h) for h in hs]
    w = [e for e, _ in eig]
    e0 = jnp.min(jnp.concatenate([x.ravel() for x in w]))
    w = [x - e0 for x in w]
    tt = t[:, None]
    log_z = jax.nn.logsumexp(jnp.concatenate([-x[None, :] / tt for x in w], axis=1), axis=1)
    p = [jnp.exp(-x[None, :] / tt - log_z[:, None]) for x in w]  # (n_T, d_b)
    return w, [v for _, v in eig], p, log_z


@jax.custom_jvp
def thermal_average(hs, as_, t):
    """``<A>`` at temperatures ``t`` (K, 1-D) for block matrices ``hs`` (K) and ``as_``."""
    w, v, p, _ = _decompose(hs, t)
    return sum(
        pb @ jnp.einsum("in,ij,jn->n", vb, ab, vb) for pb, vb, ab in zip(p, v, as_, strict=True)
    )


@thermal_average.defjvp
def _thermal_average_jvp(primals, tangents):
    hs, as_, t = primals
    dhs, das, dt = tangents
    w, v, p, log_z = _decompose(hs, t)
    a_diag = [jnp.einsum("in,ij,jn->n", vb, ab, vb) for vb, ab in zip(v, as_, strict=True)]
    mean = sum(pb @ ad for pb, ad in zip(p, a_diag, strict=True))  # (n_T,)
    energy = sum(pb @ wb for pb, wb in zip(p, w, strict=True))
    a_e = sum(pb @ (ad * wb) for pb, ad, wb in zip(p, a_diag, w, strict=True))
    z = jnp.exp(log_z)

    def per_temperature(tt, zz, mm):
        total = 0.0
        for wb, vb, ab, dhb, dab in zip(w, v, as_, dhs, das, strict=True):
            a_t = vb.T @ ab @ vb
            dh_t = vb.T @ dhb @ vb
            da_t = vb.T @ dab @ vb
            pb = jnp.exp(-wb / tt) / zz
            total += pb @ jnp.diagonal(da_t)
            total -= jnp.sum(a_t * dh_t * kubo_kernel(wb, wb, tt)) / zz
            total += mm * (pb @ jnp.diagonal(dh_t)) / tt
        return total

    tangent = jax.lax.map(
        lambda a: per_temperature(*a), (t, z, mean), batch_size=min(16, t.shape[0])
    )
    tangent += (a_e - mean * energy) * dt / t**2
    return mean, tangent
