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
``Q_S`` depends only on the spins (:mod:`._coupling` builds it by Clebsch-Gordan coupling),
so ``Q_S^T H_b Q_S`` is precomputed per bond class on the host and the traced Hamiltonian
is a weighted sum of fixed matrices.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ._coupling import highest_weight_states
from ._hilbert import ProductBasis, restrict, sector_dimensions


@dataclass(frozen=True)
class Sectors:
    """Per total spin ``two_S[k] / 2``: bond-class matrices ``bond[k]`` (n_class, n_k, n_k)."""

    two_S: tuple[int, ...]
    bond: tuple[np.ndarray, ...]

    @property
    def sizes(self) -> tuple[int, ...]:
        return tuple(b.shape[-1] for b in self.bond)


def build_sectors(basis: ProductBasis, bond_ops: list) -> Sectors:
    """Exchange matrices of every bond class in every total-spin sector (host, once)."""
    expected = sector_dimensions(basis.two_s)
    index, states = highest_weight_states(basis.two_s)
    two_S, mats = [], []
    for ts in sorted(expected):
        q, idx = states[ts], index[ts]
        if q.shape[1] != expected[ts]:
            raise AssertionError(f"sector 2S={ts}: {q.shape[1]} states, expected {expected[ts]}")
        n = q.shape[1]
        if bond_ops:
            hq = np.hstack([restrict(op, idx, idx) @ q for op in bond_ops])  # (d, n_class * n)
            hs = (q.T @ hq).reshape(n, len(bond_ops), n).transpose(1, 0, 2)
            hs = 0.5 * (hs + hs.transpose(0, 2, 1))
        else:
            hs = np.zeros((0, n, n))
        two_S.append(ts)
        mats.append(np.ascontiguousarray(hs))
    return Sectors(two_S=tuple(two_S), bond=tuple(mats))
