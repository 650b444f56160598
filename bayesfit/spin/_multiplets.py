"""Total-spin sectors: the exchange Hamiltonian restricted to highest-weight states.

With isotropic exchange, ``H`` commutes with ``S^+``. In the block ``M = S`` the kernel of
``S^+`` (the states that cannot be raised) is spanned by exactly one state of every
multiplet of total spin ``S``, and ``H`` maps that kernel into itself. So with an
orthonormal basis ``Q_S`` of ``ker(S^+ : M=S -> M=S+1)``,

    H_S = Q_S^T H_{M=S} Q_S          (dimension d_S - d_{S+1})

has as eigenvalues the energies of all multiplets of spin ``S``, each standing for ``2S+1``
degenerate states. Diagonalising every ``H_S`` gives the whole spectrum with exact
quantum numbers, from matrices much smaller than the S^z blocks (12 spins 1/2: largest
sector 297 instead of 924), and with no eigenvalue matching across blocks.
``Q_S`` depends only on the spins, so ``Q_S^T H_b Q_S`` is precomputed per bond class on
the host and the traced Hamiltonian is a weighted sum of fixed matrices.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.linalg as sla

from ._hilbert import ProductBasis, restrict, sector_dimensions


@dataclass(frozen=True)
class Sectors:
    """Per total spin ``two_S[k] / 2``: bond-class matrices ``bond[k]`` (n_class, n_k, n_k)."""

    two_S: tuple[int, ...]
    bond: tuple[np.ndarray, ...]

    @property
    def sizes(self) -> tuple[int, ...]:
        return tuple(b.shape[-1] for b in self.bond)


def highest_weight_basis(basis: ProductBasis, splus, two_m: int) -> np.ndarray:
    """Orthonormal basis (columns) of ker(S^+) in the block ``2M = two_m``."""
    rows = basis.block_indices(two_m + 2)
    cols = basis.block_indices(two_m)
    if rows.size == 0:
        return np.eye(cols.size)
    a_t = restrict(splus, rows, cols).T.toarray()  # (d_M, d_{M+1}), full column rank
    q, _ = sla.qr(a_t, mode="full", overwrite_a=True, check_finite=False)
    return np.ascontiguousarray(q[:, rows.size :])


def build_sectors(basis: ProductBasis, bond_ops: list) -> Sectors:
    """Exchange matrices of every bond class in every total-spin sector (host, once)."""
    splus = basis.total_splus()
    expected = sector_dimensions(basis.two_s)
    two_S, mats = [], []
    for ts in sorted(expected):
        q = highest_weight_basis(basis, splus, ts)
        assert q.shape[1] == expected[ts], (ts, q.shape, expected[ts])
        idx = basis.block_indices(ts)
        blocks = []
        for op in bond_ops:
            h = restrict(op, idx, idx)
            hs = q.T @ (h @ q)
            blocks.append(0.5 * (hs + hs.T))
        two_S.append(ts)
        mats.append(np.stack(blocks) if blocks else np.zeros((0, q.shape[1], q.shape[1])))
    return Sectors(two_S=tuple(two_S), bond=tuple(mats))
