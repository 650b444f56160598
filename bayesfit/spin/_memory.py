"""Size estimate of a cluster before anything is built, and the refusal when it is too big.

The estimate is the peak resident memory of a process that builds the cluster and runs a
value-and-gradient call of a likelihood (``benchmarks/spin_kernel.py --floor`` prints both):
the JAX runtime, the compiled program, the matrices (jit arguments) and what is live during
the call. On the ED routes the gradient is bounded (:mod:`._fieldmap`): the backward pass
keeps at most ``SAVED_VECTORS_BYTES`` of eigenvectors and recomputes one chunk of fields at
a time, so the number of fields and temperatures does not enter. Constants are float64
array sizes (8 bytes) times counts calibrated on XLA's ``memory_analysis`` of the compiled
call and on the measured peak (within 30 % on the ``--floor`` cases). Its job is to refuse
a cluster that cannot fit, with a number the user can act on, before the host runs out of
memory.
"""

from __future__ import annotations

import numpy as np

from ._cluster import ClusterError, ClusterSpec
from ._fieldmap import SAVED_VECTORS_BYTES
from ._hilbert import block_dimensions, sector_dimensions

_GIB = 1024.0**3
#: The JAX runtime and this package, imported (measured: 0.18 GiB).
RUNTIME_BYTES = 0.2 * _GIB
#: Compiler memory per thermal average (one per block and field or direction that the
#: program traces: a chunk body or a zero-field chi point), measured on the floor cases.
COMPILE_BYTES_PER_AVERAGE = 24 * 2**20
#: ``d x d`` arrays live per eigensystem of a chunk under a gradient (Hamiltonian,
#: eigenvectors, transformed operators, masks, near-pair moments, cotangents, LAPACK
#: workspace): XLA's temporary size of the compiled value-and-gradient call, divided.
ARRAYS_PER_EIGENSYSTEM = 28


def path_for(spec: ClusterSpec) -> str:
    """``multiplet`` (isotropic, one g), ``blocks`` (unequal g) or ``powder`` (anisotropy)."""
    if spec.anisotropic:
        return "powder"
    return "blocks" if len(spec.g_names) > 1 else "multiplet"


def estimate_bytes(
    spec: ClusterSpec, path: str, *, batch: int = 8, powder_points: int = 8
) -> dict[str, float]:
    """Estimated peak bytes of the parts of one cluster model, keyed by part.

    The parts alive at the peak of a value-and-gradient call: the JAX runtime and the
    compiled program, the host-side build (basis, sparse operators, the Clebsch-Gordan
    coupled vectors of the last two sites), the dense matrices held as jit arguments, and
    the per-call working set (on the ED routes: one chunk of ``batch`` fields, plus the
    eigenvectors the backward pass may keep, :mod:`._fieldmap`). The matrices are
    arguments, not compile-time constants, so compilation adds nothing of their size.
    ``powder_points``: directions of the powder magnetisation (each one a traced average).
    """
    full = float(np.prod([ts + 1 for ts in spec.two_s]))
    dims = block_dimensions(spec.two_s)
    blocks = np.array(list(dims.values()), dtype=float)
    n_class = max(len(spec.bonds), 1)
    n_bonds = sum(len(b) for b in spec.bonds)
    out = {
        "JAX runtime": RUNTIME_BYTES,
        "basis table": full * spec.n_sites * 2,
        "sparse operators": full * (3 + 2 * n_bonds) * 16,
    }
    sector_dims = sector_dimensions(spec.two_s)
    sectors = np.array(list(sector_dims.values()), dtype=float)
    if path != "powder":
        coupled = sum(dims[ts] * n for ts, n in sector_dims.items())
        out["coupled vectors"] = 2 * coupled * 8
        out["sector matrices"] = (n_class + 4) * float(np.sum(sectors**2)) * 8
    if path == "blocks":
        # chi: 2 fields (Richardson) x every block; M: one chunk body with every block
        out["compiled program"] = 3 * blocks.size * COMPILE_BYTES_PER_AVERAGE
        out["S^z block matrices"] = (n_class + 1) * float(np.sum(blocks**2)) * 8
        out["per-field diagonalisations"] = (
            batch * ARRAYS_PER_EIGENSYSTEM * float(np.sum(blocks**2)) * 8
        )
        out["saved eigenvectors (at most)"] = float(SAVED_VECTORS_BYTES)
    if path == "powder":
        # chi: 2 axes x 2 fields; M: one chunk body per direction
        out["compiled program"] = (4 + powder_points) * COMPILE_BYTES_PER_AVERAGE
        n_terms = n_class + len(spec.e_names) + len(spec.g_names)
        out["full-space matrices"] = n_terms * full * full * 8
        out["per-field diagonalisations"] = batch * ARRAYS_PER_EIGENSYSTEM * full * full * 8
        out["saved eigenvectors (at most)"] = float(SAVED_VECTORS_BYTES)
    return out


def check_size(
    spec: ClusterSpec, path: str, max_gib: float, where: str = "", *, powder_points: int = 8
) -> float:
    """Raise :class:`ClusterError` when the estimate exceeds ``max_gib``; return GiB."""
    parts = estimate_bytes(spec, path, powder_points=powder_points)
    total = sum(parts.values()) / _GIB
    if total > max_gib:
        worst = max(parts, key=parts.get)
        dim = int(np.prod([ts + 1 for ts in spec.two_s]))
        raise ClusterError(
            f"{where}the {spec.n_sites}-site cluster (Hilbert space dimension {dim}, "
            f"{path} path) needs an estimated {total:.1f} GiB (largest part: {worst}, "
            f"{parts[worst] / _GIB:.1f} GiB), more than the limit of {max_gib:g} GiB. Use a "
            "smaller cluster, drop the anisotropy or unequal g (they need bigger matrices), or "
            "raise max_memory_gib if this machine really has the memory."
        )
    return total
