"""Inverse-temperature ladders ``0 = b_0 < b_1 < ... < b_{K-1} = 1`` and their adaptation.

The ladder is adapted towards equal swap acceptance between neighbours with the
communication-barrier scheme of Syed, Bouchard-Cote, Deligiannidis & Doucet (2021),
"Non-reversible parallel tempering: a scalable highly parallel MCMC scheme", JRSS B 84, 321,
Algorithm 4: the swap rejection rates ``r_k`` of the pairs ``(k, k+1)`` estimate the local
barrier; their cumulative sum ``Lambda(b_k)`` is interpolated (monotone, piecewise linear)
and inverted at equally spaced levels, so that every pair gets the same share of the
global barrier ``Lambda = sum_k r_k``. Pure ``jax.numpy``: runs inside the jitted scan.
"""

from __future__ import annotations

import jax.numpy as jnp
import numpy as np

_MIN_REJECTION = 1e-4  # keeps the cumulative barrier strictly increasing


def initial_ladder(n: int, power: float = 4.0) -> np.ndarray:
    """``b_k = (k / (n - 1))**power``: dense near 0, where the power posterior changes
    fastest (Friel & Pettitt 2008 use power 4-5). Dimensionless, shape ``(n,)``."""
    return (np.arange(n) / (n - 1)) ** power


def cumulative_barrier(rejection):
    """``Lambda(b_k) = sum_{j<k} r_j``: shape ``(K,)`` from pair rejection rates ``(K-1,)``."""
    r = jnp.maximum(rejection, _MIN_REJECTION)
    return jnp.concatenate([jnp.zeros(1, r.dtype), jnp.cumsum(r)])


def adapt_ladder(betas, rejection):
    """New ladder with (estimated) equal rejection rate on every pair.

    ``betas``: current ladder ``(K,)``; ``rejection``: mean swap rejection probability of
    each neighbouring pair ``(K-1,)`` (Rao-Blackwellised, i.e. ``1 - min(1, ratio)``).
    The endpoints stay where they are (``0`` and ``1`` for a whole path).
    """
    lam = cumulative_barrier(rejection)
    levels = jnp.linspace(0.0, 1.0, betas.shape[0]) * lam[-1]
    new = jnp.interp(levels, lam, betas)
    return new.at[0].set(betas[0]).at[-1].set(betas[-1])

