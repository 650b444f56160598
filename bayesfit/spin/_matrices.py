"""Traced Hamiltonians as weighted sums of fixed matrices.

``sum_c w_c M_c`` is written as a plain loop of scaled additions rather than
``einsum("c,cij->ij")``: a ``dot_general`` over the leading axis makes XLA transpose the
whole ``(c, n, n)`` stack to put ``c`` last (a full copy per call, and, if the stack were a
compile-time constant, a constant-folded copy at compile time: 41 s and several GiB for
16 spins). Elementwise scaled sums fuse into one pass over the matrices, in value and
gradient (``d/dw_c = sum(ct * M_c)``).
"""

from __future__ import annotations

import jax.numpy as jnp


def weighted_sum(w, mats):
    """``sum_c w[c] * mats[c]`` (``mats`` stacked on axis 0); zeros if there are none."""
    if mats.shape[0] == 0:
        return jnp.zeros(mats.shape[1:], mats.dtype)
    out = w[0] * mats[0]
    for c in range(1, mats.shape[0]):
        out = out + w[c] * mats[c]
    return out
