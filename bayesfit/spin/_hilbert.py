"""Product basis of a spin cluster, its total-S^z blocks and sparse spin operators.

A basis state is a tuple of local indices ``k_i = S_i - m_i`` in ``0..2S_i`` (mixed radix,
site 0 most significant). Spins are handled as integers ``two_s = 2 S`` and projections as
``two_m = 2 m`` so that half-integers stay exact. Everything here runs once, on the host,
with NumPy/SciPy; the JAX code only sees the dense matrices built from it.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np
import scipy.sparse as sp


def block_dimensions(two_s: tuple[int, ...]) -> dict[int, int]:
    """Dimension of every total-S^z block, keyed by ``2M`` (polynomial convolution)."""
    counts = np.array([1], dtype=np.int64)
    for ts in two_s:
        counts = np.convolve(counts, np.ones(ts + 1, dtype=np.int64))
    two_m_max = sum(two_s)
    # coefficient index k counts lowered steps: 2M = two_m_max - 2k
    return {two_m_max - 2 * k: int(c) for k, c in enumerate(counts)}


def sector_dimensions(two_s: tuple[int, ...]) -> dict[int, int]:
    """Number of SU(2) multiplets of each total spin, keyed by ``2S`` (d_S - d_{S+1})."""
    d = block_dimensions(two_s)
    return {tm: d[tm] - d.get(tm + 2, 0) for tm in d if tm >= 0 and d[tm] > d.get(tm + 2, 0)}


@dataclass(frozen=True)
class ProductBasis:
    """The full product basis of a cluster with site spins ``two_s[i] / 2``."""

    two_s: tuple[int, ...]

    @property
    def dim(self) -> int:
        return int(np.prod([ts + 1 for ts in self.two_s]))

    @cached_property
    def two_m_sites(self) -> np.ndarray:
        """``2 m_i`` of every site for every basis state, shape (dim, n_sites), int16."""
        dims = [ts + 1 for ts in self.two_s]
        k = np.indices(dims, dtype=np.int16).reshape(len(dims), -1).T
        return np.asarray(self.two_s, dtype=np.int16)[None, :] - 2 * k

    @cached_property
    def two_m_total(self) -> np.ndarray:
        return self.two_m_sites.sum(axis=1, dtype=np.int64)

    @cached_property
    def strides(self) -> np.ndarray:
        dims = [ts + 1 for ts in self.two_s]
        return np.array([int(np.prod(dims[i + 1 :])) for i in range(len(dims))], dtype=np.int64)

    def block_indices(self, two_m: int) -> np.ndarray:
        """Indices (ascending) of the basis states with total ``2M = two_m``."""
        return np.flatnonzero(self.two_m_total == two_m)

    def sz(self, site: int) -> sp.csr_matrix:
        """S^z of one site (diagonal)."""
        return sp.diags(0.5 * self.two_m_sites[:, site].astype(float), format="csr")

    def splus(self, site: int) -> sp.csr_matrix:
        """S^+ of one site: |m> -> sqrt(S(S+1) - m(m+1)) |m+1>."""
        ts = self.two_s[site]
        tm = self.two_m_sites[:, site].astype(float)
        src = np.flatnonzero(tm < ts)
        s, m = ts / 2.0, tm[src] / 2.0
        amp = np.sqrt(s * (s + 1) - m * (m + 1))
        dst = src - self.strides[site]  # raising m lowers k by one
        return sp.csr_matrix((amp, (dst, src)), shape=(self.dim, self.dim))

    def exchange(self, i: int, j: int) -> sp.csr_matrix:
        """S_i . S_j = S^z_i S^z_j + (S^+_i S^-_j + S^-_i S^+_j) / 2."""
        pi, pj = self.splus(i), self.splus(j)
        flip = pi @ pj.T
        return (self.sz(i) @ self.sz(j) + 0.5 * (flip + flip.T)).tocsr()

    def axial(self, site: int) -> sp.csr_matrix:
        """(S^z_i)^2 - S_i(S_i+1)/3 (diagonal)."""
        s = self.two_s[site] / 2.0
        m = 0.5 * self.two_m_sites[:, site].astype(float)
        return sp.diags(m**2 - s * (s + 1) / 3.0, format="csr")

    def total_splus(self) -> sp.csr_matrix:
        out = sp.csr_matrix((self.dim, self.dim))
        for i in range(len(self.two_s)):
            out = out + self.splus(i)
        return out.tocsr()


def restrict(op: sp.spmatrix, rows: np.ndarray, cols: np.ndarray) -> sp.csr_matrix:
    """The sub-matrix ``op[rows][:, cols]`` (sparse)."""
    return sp.csr_matrix(op)[rows][:, cols].tocsr()
