"""One thermal average per field, mapped in chunks whose autodiff memory is bounded.

``lax.map`` over the fields of a route (``batch_size`` fields at a time, vectorised) runs
as a ``scan``. Under reverse mode a scan keeps the residuals of *every* iteration for the
backward pass (eigenvectors, transformed operators, masks: several ``d x d`` arrays per
field and direction), so the memory of a gradient grew with the number of fields (22 GiB
for 804 eigensystems of dimension 216). Here each chunk is a :func:`jax.checkpoint`:

* when the eigenvectors of the whole call fit in :data:`SAVED_VECTORS_BYTES`, only they
  are kept (one ``d x d`` array per eigensystem; the ``eigh`` in
  :func:`._thermal.thermal_average` is named ``"eigensystem"``) and the backward pass
  recomputes the cheap rest (a few matrix products);
* otherwise nothing but the chunk's inputs (fields, temperatures) is kept and the backward
  pass recomputes one chunk at a time, ``eigh`` included: one more ``eigh`` per
  eigensystem, and a live working set of one chunk whatever the number of fields.

Either way the memory of a gradient is bounded by ``SAVED_VECTORS_BYTES`` plus one chunk's
working set (:func:`._memory.estimate_bytes` counts both).
"""

from __future__ import annotations

import jax

#: Largest total size (bytes) of the eigenvectors a gradient keeps between its passes.
SAVED_VECTORS_BYTES = 64 * 2**20

_SAVE_VECTORS = jax.checkpoint_policies.save_only_these_names("eigensystem")


def map_fields(one, xs, batch_size: int, vector_bytes: float):
    """``lax.map(one, xs)`` in chunks of ``batch_size``, rematerialised in the backward pass.

    ``vector_bytes``: total size of the eigenvectors the whole call computes (all fields,
    blocks and directions), which decides what the backward pass keeps (module docstring).
    """
    size = jax.tree.leaves(xs)[0].shape[0]
    if vector_bytes <= SAVED_VECTORS_BYTES:
        policy = _SAVE_VECTORS
    else:
        policy = jax.checkpoint_policies.nothing_saveable
    fn = jax.checkpoint(one, policy=policy, prevent_cse=False)
    return jax.lax.map(fn, xs, batch_size=min(batch_size, size))
