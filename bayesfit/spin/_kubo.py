"""Thermal averages from eigen-decompositions, safe at degenerate levels.

The zero-field susceptibility for a magnetic moment ``A`` that does not commute with ``H``
(unequal g factors, or a field perpendicular to an anisotropy axis) is the Kubo /
Van Vleck sum

    chi / (N_A mu_B^2 / k_B) = (1/Z) sum_{n,m} |A_nm|^2 K(E_n, E_m),
    K(a, b) = (exp(-a/T) - exp(-b/T)) / (b - a),   K(a, a) = exp(-a/T) / T,

(energies and T in kelvin; Kubo, J. Phys. Soc. Jpn. 12, 570 (1957); Van Vleck, *The Theory
of Electric and Magnetic Susceptibilities* (1932)). ``K`` is a symmetric, continuous
divided difference, so the sum is invariant under rotations inside degenerate subspaces and
is evaluated with the smaller energy in the exponent: ``K = exp(-min/T) phi(|b-a|/T) / T``
with ``phi(x) = (1 - exp(-x)) / x`` in (0, 1].
"""

from __future__ import annotations

import jax
import jax.numpy as jnp


def phi(x):
    """``(1 - exp(-x)) / x`` for ``x >= 0`` with the limit 1 at 0 (gradient-safe)."""
    small = x < 1e-6
    xs = jnp.where(small, 1.0, x)
    return jnp.where(small, 1.0 - 0.5 * x + x * x / 6.0, -jnp.expm1(-xs) / xs)


def kubo_kernel(ea, eb, t):
    """``K(E_a, E_b)`` of the module docstring, energies shifted so that the ground is 0."""
    lo = jnp.minimum(ea[:, None], eb[None, :])
    gap = jnp.abs(ea[:, None] - eb[None, :])
    return jnp.exp(-lo / t) * phi(gap / t) / t


def log_partition(energies: list, t):
    """``ln Z(T)`` (shape of ``t``) over all blocks; energies already shifted by E0."""
    e = jnp.concatenate([x.ravel() for x in energies])
    return jax.nn.logsumexp(-e[None, :] / jnp.reshape(t, (-1, 1)), axis=1).reshape(jnp.shape(t))


def kubo_sum(pairs: list, energies: list, t, *, batch_size: int = 8):
    """``(1/Z) sum |A|^2 K`` over ``pairs`` of ``(E_a, E_b, |A_ab|^2)`` at temperatures ``t``.

    ``energies`` (all levels, shifted so that the ground level is 0) give ``Z``. The loop over
    temperatures is a ``lax.map`` so that memory stays at one ``n_a x n_b`` matrix per pair.
    """
    t = jnp.asarray(t, dtype=float)

    def one(tt):
        total = sum(jnp.sum(w * kubo_kernel(ea, eb, tt)) for ea, eb, w in pairs)
        return total

    flat = t.ravel()
    num = jax.lax.map(one, flat, batch_size=min(batch_size, flat.size))
    return (num / jnp.exp(log_partition(energies, flat))).reshape(t.shape)
