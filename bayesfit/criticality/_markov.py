"""Temperature-scaled finite-state Markov chain: the negative control of a sweep.

``P(b | a) = softmax_b(W_ab / T)``: at every T > 0 the chain is ergodic with a finite
correlation length, so chi(T) stays finite and stops depending on the sequence length L
once L >> xi. It has no phase transition at T > 0 (a smooth crossover), so a
finite-size-scaling collapse must not return a confident T_c.
"""

from __future__ import annotations

import jax.numpy as jnp
import numpy as np


def markov_logits(n_states: int = 6, scale: float = 2.0, seed: int = 0) -> np.ndarray:
    """Random logit matrix ``W`` (n_states, n_states), entries ``scale * N(0, 1)``."""
    return scale * np.random.default_rng(seed).standard_normal((n_states, n_states))


def markov_logits_fn(w):
    """``logits_fn(context)`` for a first-order chain (context_length = 1, pad = -1:
    a uniform first symbol)."""
    w = jnp.asarray(w)

    def logits_fn(context):
        prev = context[-1]
        return jnp.where(prev < 0, jnp.zeros(w.shape[1]), w[jnp.maximum(prev, 0)])

    return logits_fn


def transition_matrix(w, temperature: float) -> np.ndarray:
    """``P(b | a)`` at ``temperature`` (rows sum to one)."""
    z = np.asarray(w) / temperature
    z = np.exp(z - z.max(axis=1, keepdims=True))
    return z / z.sum(axis=1, keepdims=True)
