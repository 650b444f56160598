"""The spherical bilinear min-max game and its two orders of optimisation.

V(x, y; A) = x^T A y / sqrt(N) with A_ij ~ N(0, 1) (N x M), ||x||^2 = N, ||y||^2 = M and
gamma = M/N. Inner maximisation gives max_y V = sqrt(M) ||A^T x|| / sqrt(N), so the
min-max value is sqrt(M) times the smallest singular value of A^T restricted to the
x-sphere (0 when N > M), and the max-min value is -sqrt(M) times that of A on the
y-sphere (0 when M > N). With the Marchenko-Pastur edges, per N:

    min-max / N = sqrt(gamma) (sqrt(gamma) - 1)_+
    max-min / N = -sqrt(gamma) (1 - sqrt(gamma))_+

They differ for every gamma != 1 (the sets are not convex, so there is no saddle point):
the order of the limits beta_max -> inf then beta_min -> inf in the two-temperature
formalism of Ichikawa & Hukushima, "Statistical mechanics of min-max problems",
arXiv:2409.06053 (TMLR 2025), selects the min-max value; the swapped order gives
max-min. These closed forms are the test oracle of that formalism (spec Sec. 3.1).
"""

from __future__ import annotations

import jax.numpy as jnp


def spherical_minmax(gamma):
    """lim (1/N) min_x max_y x^T A y / sqrt(N) at gamma = M/N (dimensionless)."""
    s = jnp.sqrt(jnp.asarray(gamma, jnp.float64))
    return s * jnp.maximum(s - 1.0, 0.0)


def spherical_maxmin(gamma):
    """lim (1/N) max_y min_x x^T A y / sqrt(N) at gamma = M/N (<= 0)."""
    s = jnp.sqrt(jnp.asarray(gamma, jnp.float64))
    return -s * jnp.maximum(1.0 - s, 0.0)


def duality_gap(gamma):
    """min-max minus max-min per N: |sqrt(gamma)(sqrt(gamma) - 1)| >= 0."""
    return spherical_minmax(gamma) - spherical_maxmin(gamma)
