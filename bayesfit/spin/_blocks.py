"""Total-S^z blocks: exact diagonalisation when the Zeeman term does not commute with H.

Used for unequal g factors (``sum_i g_i S^z_i`` commutes with ``S^z_tot`` but not with the
exchange) and for axial single-ion anisotropy (``D (S^z_i)^2`` breaks SU(2) but keeps
``S^z_tot``). Every block ``M`` is diagonalised (both signs of ``M``: with unequal g a field
breaks the ``M -> -M`` symmetry), the zero-field susceptibility is the Kubo sum
(:mod:`._kubo`) within blocks (field along z) or between neighbouring blocks (field along
x, through ``S^+``), and the magnetisation at a field along z is ``-<sum_i g_i S^z_i>`` from
one diagonalisation per field and block (Hellmann-Feynman).

Gradients go through ``jnp.linalg.eigh``; they are exact except at *accidental*
degeneracies inside one block (SU(2) degeneracies are spread over different blocks and are
harmless), where the eigenvector derivative of the zero-field Kubo sum is undefined.
"""

from __future__ import annotations

from dataclasses import dataclass

import jax
import jax.numpy as jnp
import numpy as np

from ._hilbert import ProductBasis, restrict
from ._kubo import kubo_sum, log_partition
from ._units import MU_B_OVER_K


@dataclass(frozen=True)
class Block:
    two_m: int
    bond: jnp.ndarray  # (n_class, d, d)
    axial: jnp.ndarray  # (n_d_groups, d) diagonal of sum_{i in group} (S^z_i)^2 - S(S+1)/3
    zeeman: jnp.ndarray  # (n_g_groups, d) diagonal of sum_{i in group} S^z_i


class BlockModel:
    """Dense exchange/anisotropy/Zeeman matrices of every S^z block (built on the host)."""

    def __init__(self, basis: ProductBasis, bond_ops, g_sites, d_sites, *, perpendicular=False):
        two_m_all = sorted(set(basis.two_m_total.tolist()), reverse=True)
        self.index = {tm: basis.block_indices(tm) for tm in two_m_all}
        sz = [basis.sz(i).diagonal() for i in range(len(basis.two_s))]
        ax = [basis.axial(i).diagonal() for i in range(len(basis.two_s))]
        blocks = []
        for tm in two_m_all:
            idx = self.index[tm]
            bond = [restrict(op, idx, idx).toarray() for op in bond_ops]
            d = idx.size
            blocks.append(
                Block(
                    two_m=tm,
                    bond=jnp.asarray(np.stack(bond) if bond else np.zeros((0, d, d))),
                    axial=jnp.asarray(
                        np.array([sum(ax[i][idx] for i in s) for s in d_sites]).reshape(
                            len(d_sites), d
                        )
                    ),
                    zeeman=jnp.asarray(np.array([sum(sz[i][idx] for i in s) for s in g_sites])),
                )
            )
        self.blocks = tuple(blocks)
        self.raise_ops = ()
        if perpendicular:  # sum_{i in group} S^+_i from block M to block M+1
            ops = []
            for lo, hi in zip(blocks[1:], blocks[:-1], strict=True):
                mats = [
                    sum(
                        restrict(basis.splus(i), self.index[hi.two_m], self.index[lo.two_m])
                        for i in s
                    ).toarray()
                    for s in g_sites
                ]
                ops.append(jnp.asarray(np.stack(mats)))
            self.raise_ops = tuple(ops)

    def hamiltonians(self, jk, dk):
        """Zero-field block matrices for couplings ``jk`` and anisotropies ``dk`` (kelvin)."""
        out = []
        for b in self.blocks:
            h = jnp.einsum("c,cij->ij", jk, b.bond) if b.bond.shape[0] else 0.0 * b.bond.sum(0)
            if b.axial.shape[0]:
                h = h + jnp.diag(jnp.einsum("k,kd->d", dk, b.axial))
            out.append(h)
        return out

    def levels(self, jk, dk):
        """Zero-field eigenvalues per block (kelvin) and their ``2M`` labels."""
        e = [jnp.linalg.eigvalsh(h) for h in self.hamiltonians(jk, dk)]
        labels = np.concatenate([np.full(b.bond.shape[-1], b.two_m) for b in self.blocks])
        return e, labels

    def _eig(self, jk, dk):
        w, v = zip(*(jnp.linalg.eigh(h) for h in self.hamiltonians(jk, dk)), strict=True)
        e0 = jnp.min(jnp.concatenate(w))
        return [x - e0 for x in w], list(v)

    def _pairs_parallel(self, w, v, gs):
        pairs = []
        for b, wb, vb in zip(self.blocks, w, v, strict=True):
            a = vb.T @ (jnp.einsum("k,kd->d", gs, b.zeeman)[:, None] * vb)
            pairs.append((wb, wb, a * a))
        return pairs

    def _pairs_perpendicular(self, w, v, gs):
        pairs = []
        for k, op in enumerate(self.raise_ops):  # blocks[k] -> blocks[k+1] is M -> M-1
            a = 0.5 * (v[k].T @ (jnp.einsum("g,gij->ij", gs, op) @ v[k + 1]))  # <M|A_x|M-1>
            pairs.append((w[k], w[k + 1], 2.0 * a * a))  # both orderings of each pair
        return pairs

    def chi(self, jk, gs, dk, t, *, powder: bool = False):
        """Zero-field chi in units of N_A mu_B^2 / k_B per cluster, shape of ``t`` (K).

        ``powder=False``: chi_zz (field along z). ``powder=True``: (chi_zz + 2 chi_xx) / 3,
        the orientation average for an axially symmetric cluster (needs ``perpendicular``).
        """
        w, v = self._eig(jk, dk)
        par = kubo_sum(self._pairs_parallel(w, v, gs), w, t)
        if not powder:
            return par
        perp = kubo_sum(self._pairs_perpendicular(w, v, gs), w, t)
        return (par + 2.0 * perp) / 3.0

    def moment_z(self, jk, gs, dk, b, t, *, batch_size: int = 16):
        """``-<sum_i g_i S^z_i>`` per cluster at field ``b`` (T) along z and temperature ``t``."""
        b, t = jnp.broadcast_arrays(jnp.asarray(b, float), jnp.asarray(t, float))
        h0 = self.hamiltonians(jk, dk)
        zg = [jnp.einsum("k,kd->d", gs, blk.zeeman) for blk in self.blocks]

        def one(bt):
            field, temp = bt
            e, mu = [], []
            for h, z in zip(h0, zg, strict=True):
                wv, vv = jnp.linalg.eigh(h + jnp.diag(MU_B_OVER_K * field * z))
                e.append(wv)
                mu.append((vv * vv).T @ z)
            e, mu = jnp.concatenate(e), jnp.concatenate(mu)
            p = jax.nn.softmax(-(e - jnp.min(e)) / temp)
            return -jnp.sum(p * mu)

        flat = jnp.stack([b.ravel(), t.ravel()], axis=1)
        return jax.lax.map(one, flat, batch_size=min(batch_size, flat.shape[0])).reshape(b.shape)


__all__ = ["BlockModel", "log_partition"]
