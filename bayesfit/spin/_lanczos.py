"""Matrix-free Heisenberg H|v> in S^z sectors of spin-1/2 clusters, and the Lanczos steps.

A basis state of a sector with ``n_up`` up spins is an integer whose bit ``i`` is site
``i`` (1 = up). States are ranked by Lin's two-table method (H. Q. Lin, PRB 42, 6561
(1990)): with the bits split into a high and a low half,
``index(s) = hi_offset[s >> n_lo] + lo_rank[s & lo_mask]``, tables of 2^(N/2) entries, so
the flipped state of every bond is found by bit operations and two small gathers inside
``jit`` (no sparse matrix is stored). Energies in K: ``H = sum_c jk_c sum_{(i,j) in c}
S_i . S_j`` with ``jk`` the couplings times the convention prefactor, in kelvin.

Lanczos (C. Lanczos 1950; Jaklic and Prelovsek, Adv. Phys. 49, 1 (2000) for its use at
finite temperature): :func:`lanczos_tridiagonal` runs the plain three-term recursion (what
FTLM needs), :func:`lanczos_lowest` a fully re-orthogonalised one whose Ritz vectors are
the exact lowest states. Both are pure ``lax.scan`` loops: jit, vmap and forward-mode
differentiation work, and nothing leaves the device inside the loop.
"""

from __future__ import annotations

from math import comb
from typing import NamedTuple

import jax
import jax.numpy as jnp
import numpy as np


def _popcount(x: np.ndarray) -> np.ndarray:
    x = np.asarray(x, np.int64)
    out = np.zeros(x.shape, np.int32)
    for b in range(31):
        out += ((x >> b) & 1).astype(np.int32)
    return out


class Tables(NamedTuple):
    """Host-built ranking tables of the low and high halves (2^(N/2) entries each)."""

    n_lo: int
    lo_rank: np.ndarray  # rank of a low half among those with its popcount
    lo_sorted: np.ndarray  # low halves sorted by (popcount, value)
    pop_start: np.ndarray  # where each popcount starts in lo_sorted
    hi_pop: np.ndarray  # popcount of every high half


def build_tables(n_sites: int) -> Tables:
    n_lo = n_sites // 2
    lo = np.arange(1 << n_lo)
    pop = _popcount(lo)
    order = np.lexsort((lo, pop))
    rank = np.zeros(lo.size, np.int32)
    for k in range(n_lo + 1):
        sel = np.flatnonzero(pop == k)
        rank[sel] = np.arange(sel.size)
    start = np.concatenate([[0], np.cumsum(np.bincount(pop, minlength=n_lo + 1))])
    hi_pop = _popcount(np.arange(1 << (n_sites - n_lo)))
    return Tables(n_lo, rank, lo.astype(np.int32)[order], start.astype(np.int32), hi_pop)


def hi_offsets(tables: Tables, n_sites: int, n_up: int) -> tuple[np.ndarray, int]:
    """Index of the first state of every high half in the sector, and the sector size."""
    n_lo = tables.n_lo
    counts = np.array(
        [comb(n_lo, n_up - int(hp)) if 0 <= n_up - hp <= n_lo else 0 for hp in tables.hi_pop]
    )
    offset = np.concatenate([[0], np.cumsum(counts)[:-1]])
    dim = int(np.sum(counts))
    assert dim == comb(n_sites, n_up)
    return offset.astype(np.int32), dim


def sector_states(tables: Tables, hi_offset, n_up, dim, size: int | None = None):
    """The sector's states (ascending int32 bit patterns), generated inside jit; ``n_up``
    and ``dim`` may be traced. With ``size > dim`` the array is padded (entries past
    ``dim`` repeat the last state; mask them)."""
    size = dim if size is None else size
    k = jnp.minimum(jnp.arange(size, dtype=jnp.int32), dim - 1)
    hi_offset = jnp.asarray(hi_offset)
    h = (jnp.searchsorted(hi_offset, k, side="right") - 1).astype(jnp.int32)
    p = jnp.asarray(tables.hi_pop)[h]
    lo = jnp.asarray(tables.lo_sorted)[jnp.asarray(tables.pop_start)[n_up - p] + k - hi_offset[h]]
    return (h << tables.n_lo) | lo


def flip_indices(states, hi_offset, lo_rank, bonds, n_lo: int):
    """For every bond ``(i, j)``: the index of the state with spins i and j exchanged, and
    whether they differ (else the exchange term vanishes). Shapes ``(n_bonds, dim)``."""
    bi = jnp.asarray([b[0] for b in bonds], jnp.int32)[:, None]
    bj = jnp.asarray([b[1] for b in bonds], jnp.int32)[:, None]
    s = states[None, :]
    differ = (((s >> bi) ^ (s >> bj)) & 1) == 1
    s2 = s ^ ((1 << bi) | (1 << bj))
    idx = hi_offset[s2 >> n_lo] + lo_rank[s2 & ((1 << n_lo) - 1)]
    return idx, differ


def diagonal(differ, bond_class, jk):
    """Diagonal of H (K): ``sum_b jk_c(b) S^z_i S^z_j`` = +-jk/4 per bond."""
    jb = jk[jnp.asarray(bond_class)]
    return jnp.sum(jb[:, None] * jnp.where(differ, -0.25, 0.25), axis=0)


def make_matvec(diag, idx, differ, half_j):
    """``v -> H v`` from the diagonal, the flip tables and ``jk_c(b) / 2`` per bond (one
    bond per iteration of a ``fori_loop``: compile time does not grow with the bonds)."""

    def matvec(v):
        def bond(b, out):
            return out + half_j[b] * jnp.where(differ[b], v[idx[b]], 0.0)

        return jax.lax.fori_loop(0, idx.shape[0], bond, diag * v)

    return matvec


class Tridiagonal(NamedTuple):
    """Lanczos coefficients: ``alpha`` (m,) diagonal, ``beta`` (m-1,) off-diagonal (K)."""

    alpha: jax.Array
    beta: jax.Array


def lanczos_tridiagonal(matvec, v0, steps: int, scale) -> Tridiagonal:
    """Plain Lanczos from the unit vector ``v0`` (no re-orthogonalisation).

    When the Krylov space is exhausted (``beta < 1e-10 scale``), the remaining
    off-diagonals are set to zero and the dead diagonal entries to ``(1e3 + k) scale``, so
    the dead block decouples from ``e_0`` (zero weight), sorts above every real level and
    has no degenerate eigenvalues (whose eigenvector derivatives would be NaN).
    ``scale`` (K): a bound on ||H|| (no gradient).
    """
    tol = 1e-10 * scale

    def step(carry, k):
        v_prev, v, b_prev, alive = carry
        w = matvec(v) - b_prev * v_prev
        a = jnp.vdot(v, w)
        w = w - a * v
        b = jnp.linalg.norm(w)
        ok = alive & (b > tol)
        v_next = w / jnp.where(ok, b, 1.0)
        v_next = jnp.where(ok, v_next, 0.0)
        a_out = jnp.where(alive, a, (1e3 + k) * scale)
        return (v, v_next, jnp.where(ok, b, 0.0), ok), (a_out, jnp.where(ok, b, 0.0))

    init = (jnp.zeros_like(v0), v0, jnp.zeros((), v0.dtype), jnp.ones((), bool))
    _, (a, b) = jax.lax.scan(step, init, jnp.arange(steps))
    return Tridiagonal(a, b[:-1])


def tridiagonal_matrix(t: Tridiagonal):
    return jnp.diag(t.alpha) + jnp.diag(t.beta, 1) + jnp.diag(t.beta, -1)


def lanczos_lowest(matvec, v0, steps: int, n_states: int, scale, deflate=None):
    """The ``n_states`` lowest Ritz pairs of a fully re-orthogonalised Lanczos run.

    ``deflate`` (k, dim): orthonormal eigenvectors already found; the run stays orthogonal
    to them, so a second run finds the degenerate partners the first one cannot see.

    Returns ``(energies (n_states,), vectors (n_states, dim), residuals (n_states,))``; the
    residual ``|beta_m U[m-1, n]|`` (K) bounds ``||H psi - E psi||``. Memory: ``steps``
    vectors of the sector. Degenerate partners of a level are not found (one Krylov
    space sees one vector per eigenvalue); they stay in the complement that FTLM samples.
    """
    tol = 1e-10 * scale
    dim = v0.shape[0]
    if deflate is not None:
        for _ in range(2):
            v0 = v0 - deflate.T @ (deflate @ v0)
        v0 = v0 / jnp.linalg.norm(v0)

    def step(carry, k):
        basis, v_prev, b_prev, alive = carry
        v = basis[k]
        w = matvec(v) - b_prev * v_prev
        a = jnp.vdot(v, w)
        w = w - a * v
        for _ in range(2):  # classical Gram-Schmidt twice against all previous vectors
            w = w - basis.T @ (basis @ w)
            if deflate is not None:
                w = w - deflate.T @ (deflate @ w)
        b = jnp.linalg.norm(w)
        ok = alive & (b > tol)
        v_next = jnp.where(ok, w / jnp.where(ok, b, 1.0), 0.0)
        basis = basis.at[k + 1].set(v_next)
        a_out = jnp.where(alive, a, (1e3 + k) * scale)  # distinct: finite eigh derivatives
        return (basis, v, jnp.where(ok, b, 0.0), ok), (a_out, jnp.where(ok, b, 0.0))

    basis0 = jnp.zeros((steps + 1, dim), v0.dtype).at[0].set(v0)
    init = (basis0, jnp.zeros_like(v0), jnp.zeros((), v0.dtype), jnp.ones((), bool))
    (basis, *_), (a, b) = jax.lax.scan(step, init, jnp.arange(steps))
    theta, u = jnp.linalg.eigh(tridiagonal_matrix(Tridiagonal(a, b[:-1])))
    vectors = u[:, :n_states].T @ basis[:steps]
    residual = jnp.abs(b[-1] * u[-1, :n_states])
    return theta[:n_states], vectors, residual
