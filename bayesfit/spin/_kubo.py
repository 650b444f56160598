"""The Kubo divided difference K(a, b), evaluated without cancellation or overflow.

    K(a, b) = (exp(-a/T) - exp(-b/T)) / (b - a),   K(a, a) = exp(-a/T) / T

(energies and T in kelvin) is minus the divided difference of exp(-E/T). It weighs the
matrix elements between levels a and b in the Kubo / Van Vleck susceptibility and in the
derivative of a thermal average (Kubo, J. Phys. Soc. Jpn. 12, 570 (1957)). It is symmetric
and continuous, and is evaluated with the smaller energy in the exponent:
``K = exp(-min/T) phi(|b-a|/T) / T`` with ``phi(x) = (1 - exp(-x)) / x`` in (0, 1].
"""

from __future__ import annotations

import jax.numpy as jnp


def phi(x):
    """``(1 - exp(-x)) / x`` for ``x >= 0`` with the limit 1 at 0 (gradient-safe)."""
    small = x < 1e-6
    xs = jnp.where(small, 1.0, x)
    return jnp.where(small, 1.0 - 0.5 * x + x * x / 6.0, -jnp.expm1(-xs) / xs)


def kubo_kernel(ea, eb, t):
    """``K(E_a, E_b)`` for all pairs (matrix), energies shifted so that the ground is 0."""
    lo = jnp.minimum(ea[:, None], eb[None, :])
    gap = jnp.abs(ea[:, None] - eb[None, :])
    return jnp.exp(-lo / t) * phi(gap / t) / t
