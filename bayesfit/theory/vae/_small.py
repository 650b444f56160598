"""Tiny-matrix helpers for the ODE right-hand side.

The ODE state holds matrices of size M, M* or 2M (a few rows). XLA on CPU lowers each
``dot`` to a separate library call, whose overhead dominates at these sizes, while a
broadcast-multiply-and-sum fuses with the surrounding elementwise work: for M = 2 the
value-and-gradient of a learning curve runs several times faster this way.
"""

from __future__ import annotations

import jax.numpy as jnp


def mm(a, b):
    """Matrix product ``a @ b`` of small matrices (leading batch axes broadcast)."""
    return jnp.sum(a[..., :, :, None] * b[..., None, :, :], axis=-2)


def t(x):
    """Swap the last two axes."""
    return jnp.swapaxes(x, -1, -2)


def diag(v):
    """Diagonal matrix from the last axis of ``v`` (a mask product: no scatter, so its
    gradient stays a fused elementwise op)."""
    n = v.shape[-1]
    return v[..., None, :] * jnp.eye(n)


def diagonal(x):
    """Diagonal of the last two axes (mask-and-sum: no gather)."""
    n = x.shape[-1]
    return jnp.sum(x * jnp.eye(n), axis=-1)
