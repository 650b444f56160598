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

One eigensystem serves every temperature. The similarity transforms ``V^T A V`` and
``V^T dH V`` are temperature independent and computed once, and the Kubo sum is split so
that no ``d x d`` work is done per temperature: with ``G = A_t * dH_t`` (elementwise, in the
eigenbasis) and levels sorted in each block,

* pairs with ``|E_m - E_n| >= tau`` ("far"): ``K`` is a difference of two exponentials, so
  ``sum_nm G_nm K_nm = 2 sum_n e^{-E_n/T} r_n`` with ``r_n = sum_m G_nm / (E_m - E_n)``
  (rounding ~ eps T / tau);
* pairs with ``|E_m - E_n| < tau`` (degenerate or nearly so, and the diagonal):
  ``phi(x) = (1 - e^{-x}) / x = sum_k (-x)^k / (k+1)!`` with ``x = (E_m - E_n)/T <= 1`` for
  ``tau = min(T)``, so the sum is ``sum_n e^{-E_n/T} sum_k c_nk (-1)^k / ((k+1)! T^(k+1))``
  with moments ``c_nk`` of ``G`` (truncation ~ 1/(N_TERMS+1)! ~ 1e-19).

The per-temperature cost is O(d N_TERMS), the per-eigensystem cost a few d^3 products.
Reference: Daleckii & Krein, AMS Transl. 47, 1 (1965); Kubo, J. Phys. Soc. Jpn. 12, 570
(1957).
"""

from __future__ import annotations

import math

import jax
import jax.numpy as jnp
import numpy as np
from jax.ad_checkpoint import checkpoint_name

N_TERMS = 20
_SERIES = np.array([(-1.0) ** k / math.factorial(k + 1) for k in range(N_TERMS)])


def _decompose(hs, t):
    # named: the backward pass of a chunk of fields may keep these (_fieldmap)
    eig = [checkpoint_name(jnp.linalg.eigh(h), "eigensystem") for h in hs]
    w = [e for e, _ in eig]
    e0 = jnp.min(jnp.concatenate([x.ravel() for x in w]))
    w = [x - e0 for x in w]
    tt = t[:, None]
    log_z = jax.nn.logsumexp(jnp.concatenate([-x[None, :] / tt for x in w], axis=1), axis=1)
    p = [jnp.exp(-x[None, :] / tt - log_z[:, None]) for x in w]  # (n_T, d_b)
    return w, [v for _, v in eig], p, log_z


def _diag_in(v, a):
    """``diag(V^T A V)``; ``a`` a matrix, or a vector standing for a diagonal matrix."""
    if a.ndim == 1:
        return (v * v).T @ a
    return jnp.sum(v * (a @ v), axis=0)


def _full_in(v, a):
    """``V^T A V``; ``a`` a matrix, or a vector standing for a diagonal matrix."""
    return v.T @ ((a[:, None] * v) if a.ndim == 1 else a @ v)


def _near_moments(g, gap, close):
    """``c_nk = 2 sum_m G_nm gap_nm^k`` over the close pairs ``m > n``, plus ``G_nn`` at k = 0.

    Powers by repeated multiplication: no ``(N_TERMS, d, d)`` tensor of weights, which
    reverse mode would keep per eigensystem, and no ``pow``.
    """
    x = jnp.where(close, 2.0 * g, 0.0)
    cols = [jnp.sum(x, axis=1) + jnp.diagonal(g)]
    for _ in range(1, N_TERMS):
        x = x * gap
        cols.append(jnp.sum(x, axis=1))
    return jnp.stack(cols, axis=1)  # (d, N_TERMS)


@jax.custom_jvp
def thermal_average(hs, as_, t):
    """``<A>`` at temperatures ``t`` (K, 1-D) for block matrices ``hs`` (K) and ``as_``.

    ``as_[b]`` is a matrix, or a 1-D array for a diagonal operator. One ``eigh`` per block
    serves all temperatures.
    """
    _, v, p, _ = _decompose(hs, t)
    return sum(pb @ _diag_in(vb, ab) for pb, vb, ab in zip(p, v, as_, strict=True))


@thermal_average.defjvp
def _thermal_average_jvp(primals, tangents):
    hs, as_, t = primals
    dhs, das, dt = tangents
    w, v, p, _ = _decompose(hs, t)
    a_t = [_full_in(vb, ab) for vb, ab in zip(v, as_, strict=True)]
    a_diag = [jnp.diagonal(x) for x in a_t]
    mean = sum(pb @ ad for pb, ad in zip(p, a_diag, strict=True))  # (n_T,)
    energy = sum(pb @ wb for pb, wb in zip(p, w, strict=True))
    a_e = sum(pb @ (ad * wb) for pb, ad, wb in zip(p, a_diag, w, strict=True))
    tau = jax.lax.stop_gradient(jnp.min(t))
    powers = jnp.arange(N_TERMS)
    coef = jnp.asarray(_SERIES) / t[:, None] ** (powers + 1)  # (n_T, N_TERMS)
    tangent = (a_e - mean * energy) * dt / t**2
    for wb, vb, pb, at, dhb, dab in zip(w, v, p, a_t, dhs, das, strict=True):
        dh_t = _full_in(vb, dhb)
        gap = wb[None, :] - wb[:, None]  # E_m - E_n
        far = jnp.abs(gap) >= tau
        upper = jnp.triu(jnp.ones(gap.shape, bool), 1)
        close = ~far & upper
        inv = jnp.where(far, 1.0 / jnp.where(far, gap, 1.0), 0.0)
        g = at * dh_t
        r = 2.0 * jnp.sum(g * inv, axis=1)  # (d,)
        moments = _near_moments(g, jnp.where(close, gap, 0.0), close)
        tangent += pb @ _diag_in(vb, dab)
        tangent -= jnp.sum(pb * (r[None, :] + coef @ moments.T), axis=1)
        tangent += mean * (pb @ jnp.diagonal(dh_t)) / t
    return mean, tangent
