"""Eigenvalues without eigenvectors on the CPU, differentiable.

``jnp.linalg.eigvalsh`` lowers to the same LAPACK call as ``eigh`` (``syevd`` with
``jobz = 'V'``) and computes the eigenvectors anyway, about twice the work of an
eigenvalue-only solve. :func:`eigvalsh` calls the ``syevd`` kernel that jaxlib registers
for ``eigh`` (LAPACK from SciPy) with ``jobz = 'N'`` through :func:`jax.ffi.ffi_call` for
the value, inside the compiled program (no host callback), and uses ``eigh`` only when a
derivative is asked for: ``dE_n = (V^T dH V)_nn`` with the eigenvalues of that same
``eigh`` as the primal output. On other backends it is ``jnp.linalg.eigvalsh``.
Symmetric real input (the lower triangle is read); eigenvalues ascending.
"""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np


def _target(dtype) -> str | None:
    """Name of jaxlib's CPU ``syevd`` FFI kernel, or None if this jaxlib has none."""
    try:
        from jax._src.lib import lapack

        return lapack.prepare_lapack_call("syevd_ffi", np.dtype(dtype))
    except Exception:  # pragma: no cover - other jaxlib layouts: fall back to eigh
        return None


def _values_only(h):
    target = _target(h.dtype)
    if target is None or h.shape[-1] <= 1 or jax.default_backend() != "cpu":
        return jnp.linalg.eigvalsh(h)
    out = (
        jax.ShapeDtypeStruct(h.shape, h.dtype),
        jax.ShapeDtypeStruct(h.shape[:-1], h.dtype),
        jax.ShapeDtypeStruct(h.shape[:-2], np.int32),
    )
    call = jax.ffi.ffi_call(target, out, input_output_aliases={0: 0}, vmap_method="broadcast_all")
    _, w, info = call(h, mode=np.uint8(ord("N")), uplo=np.uint8(ord("L")))
    return jnp.where((info == 0)[..., None], w, jnp.nan)


@jax.custom_jvp
def eigvalsh(h):
    """Ascending eigenvalues of the symmetric matrix (or stack of matrices) ``h``."""
    return _values_only(0.5 * (h + jnp.swapaxes(h, -1, -2)))


@eigvalsh.defjvp
def _eigvalsh_jvp(primals, tangents):
    (h,), (dh,) = primals, tangents
    w, v = jnp.linalg.eigh(h)
    return w, jnp.einsum("...in,...ij,...jn->...n", v, dh, v)
