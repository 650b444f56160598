"""Brute-force dense exact diagonalisation, written independently of bayesfit.spin.

Spin matrices from their textbook definition (complex S^y included), site operators by
Kronecker products, the full Hamiltonian with no symmetry, and thermodynamics from
``numpy.linalg.eigvalsh`` with finite differences in the field. Nothing here imports
``bayesfit.spin``; constants are typed in from CODATA (spec section 4).
"""

from __future__ import annotations

from functools import reduce

import numpy as np

MU_B_K = 0.671713815  # mu_B / k_B in K/T (CODATA 2022)
C_CGS = 0.375148095  # N_A mu_B^2 / k_B in emu K/mol
NA_MUB = 5584.9394  # emu/mol per mu_B/f.u.
R = 8.314462618  # J/(mol K)
MEV_K = 11.60451812  # K per meV (e / k_B, exact SI)
CM_K = 1.438776877  # K per cm^-1 (h c / k_B, exact SI)


def spin_matrices(s: float):
    """(Sx, Sy, Sz) of one spin s in the basis m = s, s-1, ..., -s."""
    m = np.arange(s, -s - 1, -1)
    sp = np.zeros((m.size, m.size), complex)
    for k in range(1, m.size):  # <m+1|S+|m>: row k-1, column k
        sp[k - 1, k] = np.sqrt(s * (s + 1) - m[k] * (m[k] + 1))
    sm = sp.conj().T
    return (sp + sm) / 2, (sp - sm) / 2j, np.diag(m).astype(complex)


def site_operators(spins):
    """ops[i] = (Sx_i, Sy_i, Sz_i) acting on the full product space."""
    mats = [spin_matrices(s) for s in spins]
    eyes = [np.eye(int(round(2 * s + 1))) for s in spins]
    out = []
    for i in range(len(spins)):
        out.append(
            tuple(reduce(np.kron, eyes[:i] + [mats[i][a]] + eyes[i + 1 :]) for a in range(3))
        )
    return out


class Dense:
    """Full-space Hamiltonian H(B, theta) = c sum J S.S + sum D (Sz^2 - S(S+1)/3) + Zeeman.

    Energies in K; ``bonds`` maps a pair to its J in K (already in the +J sense times c).
    """

    def __init__(self, spins, bonds, *, g=2.0, d=None):
        self.spins = list(spins)
        self.ops = site_operators(self.spins)
        n = len(self.spins)
        dim = self.ops[0][0].shape[0]
        self.g = np.broadcast_to(np.asarray(g, float), (n,))
        h = np.zeros((dim, dim), complex)
        for (i, j), jval in bonds.items():
            h += jval * sum(self.ops[i][a] @ self.ops[j][a] for a in range(3))
        for i, dval in (d or {}).items():
            s = self.spins[i]
            h += dval * (self.ops[i][2] @ self.ops[i][2] - s * (s + 1) / 3 * np.eye(dim))
        self.h0 = h
        self.mz = sum(self.g[i] * self.ops[i][2] for i in range(n))
        self.mx = sum(self.g[i] * self.ops[i][0] for i in range(n))

    def levels(self, b=0.0, theta=0.0):
        hz = np.cos(theta) * self.mz + np.sin(theta) * self.mx
        return np.linalg.eigvalsh(self.h0 + MU_B_K * b * hz)

    def log_z(self, b, t, theta=0.0):
        e = self.levels(b, theta)
        e0 = e.min()
        return -e0 / t + np.log(np.sum(np.exp(-(e - e0) / t)))

    def moment(self, b, t, theta=0.0, h=1e-4):
        """mu_B per cluster along the field: T d ln Z / d B (central difference)."""
        return t * (self.log_z(b + h, t, theta) - self.log_z(b - h, t, theta)) / (2 * h * MU_B_K)

    def chi(self, t, theta=0.0):
        """Zero-field chi (emu/mol per cluster): C T d^2 ln Z/dB^2 / mu_B^2 by differences."""
        h = 1e-3 * t / MU_B_K
        d2 = (
            self.log_z(h, t, theta) - 2 * self.log_z(0.0, t, theta) + self.log_z(-h, t, theta)
        ) / h**2
        return C_CGS * t * d2 / MU_B_K**2

    def heat_capacity(self, t, b=0.0):
        """C / k_B per cluster."""
        e = self.levels(b)
        e = e - e.min()
        p = np.exp(-e / t)
        p /= p.sum()
        return (p @ e**2 - (p @ e) ** 2) / t**2

    def entropy(self, t, b=0.0):
        """S / k_B per cluster."""
        e = self.levels(b)
        e = e - e.min()
        w = np.exp(-e / t)
        return np.log(w.sum()) + (w @ e) / (w.sum() * t)


def powder(fn, n=64):
    """Average of fn(theta) over orientations: (1/2) int_{-1}^{1} d(cos theta) (Gauss-Legendre)."""
    x, w = np.polynomial.legendre.leggauss(n)
    return 0.5 * sum(wk * fn(np.arccos(xk)) for xk, wk in zip(x, w, strict=True))
