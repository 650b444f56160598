"""Size estimate of a cluster before anything is built, and the refusal when it is too big.

The estimate counts the largest arrays each path holds (float64 = 8 bytes), with factors
for LAPACK/autodiff workspaces, calibrated on the measured peak resident memory of a
value-and-gradient call (``benchmarks/spin_kernel.py --floor`` prints both). Its job is to
refuse a cluster that cannot fit, with a number the user can act on, before the host runs
out of memory.
"""

from __future__ import annotations

import numpy as np

from ._cluster import ClusterError, ClusterSpec
from ._hilbert import block_dimensions, sector_dimensions
from ._thermal import N_TERMS

_GIB = 1024.0**3


def path_for(spec: ClusterSpec) -> str:
    """``multiplet`` (isotropic, one g), ``blocks`` (unequal g) or ``powder`` (anisotropy)."""
    if spec.anisotropic:
        return "powder"
    return "blocks" if len(spec.g_names) > 1 else "multiplet"


def estimate_bytes(spec: ClusterSpec, path: str, *, batch: int = 8) -> dict[str, float]:
    """Estimated peak bytes of the parts of one cluster model, keyed by part.

    The parts alive at the peak of a value-and-gradient call: the host-side build (basis,
    sparse operators, the Clebsch-Gordan coupled vectors of the last two sites), the dense
    matrices held as jit arguments, and the per-call working set (Hamiltonian, eigenvectors,
    cotangents; ``batch`` eigensystems at once on the ED routes). The matrices are arguments,
    not compile-time constants, so compilation adds nothing of their size.
    """
    full = float(np.prod([ts + 1 for ts in spec.two_s]))
    dims = block_dimensions(spec.two_s)
    blocks = np.array(list(dims.values()), dtype=float)
    n_class = max(len(spec.bonds), 1)
    n_bonds = sum(len(b) for b in spec.bonds)
    out = {
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
        out["S^z block matrices"] = (n_class + 1) * float(np.sum(blocks**2)) * 8
        out["per-field diagonalisations"] = batch * 6 * float(np.sum(blocks**2)) * 8
    if path == "powder":
        d0 = full
        n_terms = n_class + len(spec.e_names) + len(spec.g_names)
        out["full-space matrices"] = n_terms * full * full * 8
        out["per-field diagonalisations"] = batch * (8 + N_TERMS) * d0 * d0 * 8
    return out


def check_size(spec: ClusterSpec, path: str, max_gib: float, where: str = "") -> float:
    """Raise :class:`ClusterError` when the estimate exceeds ``max_gib``; return GiB."""
    parts = estimate_bytes(spec, path)
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
