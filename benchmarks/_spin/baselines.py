"""The baselines a user would write: SciPy dense (Kronecker products, ``eigh`` per
field), SciPy blocked (``eigvalsh`` per S^z block, Zeeman as a shift) and QuSpin, each with
forward-difference gradients (:func:`value_and_fd_grad`)."""

from __future__ import annotations

import numpy as np
import scipy.linalg as sla
import scipy.sparse as sp

from .common import B_M, C_CGS, MU_B_K, T_CHI, T_M


def spin_ops(s):
    m = np.arange(s, -s - 1, -1)
    sp = np.diag(np.sqrt(s * (s + 1) - m[1:] * (m[1:] + 1)), 1)
    return 0.5 * (sp + sp.T), 0.5j * (sp.T - sp), np.diag(m)


class DenseModel:
    """Matrices per bond class from Kronecker products (what a user builds with kron)."""

    def __init__(self, spins, bonds):
        ops = [[sp.csr_matrix(o) for o in spin_ops(s)] for s in spins]
        eyes = [sp.identity(int(2 * s + 1), format="csr") for s in spins]

        def site(i, a):
            out = None
            for k, m in enumerate(eyes[:i] + [ops[i][a]] + eyes[i + 1 :]):
                out = m if k == 0 else sp.kron(out, m, format="csr")
            return out

        self.names = list(bonds)
        self.sparse = [
            sum(site(i, a) @ site(j, a) for i, j in bonds[n] for a in range(3)).real
            for n in self.names
        ]
        self.sz = np.real(sum(site(i, 2) for i in range(len(spins))).diagonal())

    @property
    def h(self):
        return [m.toarray() for m in self.sparse]

    def hamiltonian(self, p):
        if not hasattr(self, "_dense"):
            self._dense = self.h
        return sum(p[n] * h for n, h in zip(self.names, self._dense, strict=True))


def thermal(e, w, t):
    x = -(e[None, :] - e.min()) / t[:, None]
    p = np.exp(x)
    return (p @ w) / p.sum(axis=1)


def loglike_dense(model, p, data):
    h0 = model.hamiltonian(p)
    e, v = sla.eigh(h0)
    sz2 = (np.abs(v) ** 2).T @ model.sz**2
    chi = C_CGS * p["g"] ** 2 * thermal(e, sz2, T_CHI) / T_CHI
    ms = []
    for b in B_M:
        e, v = sla.eigh(h0 + np.diag(p["g"] * MU_B_K * b * model.sz))
        ms.append(-p["g"] * thermal(e, (np.abs(v) ** 2).T @ model.sz, T_M))
    return gaussian(chi, np.array(ms).T, data)


class BlockModel:
    """Dense matrices of every S^z block (a careful SciPy user)."""

    def __init__(self, dense: DenseModel):
        two_m = np.round(2 * dense.sz).astype(int)
        self.m = sorted(set(two_m.tolist()))
        self.idx = [np.flatnonzero(two_m == k) for k in self.m]
        self.names = dense.names
        self.h = [[h[i][:, i].toarray() for h in dense.sparse] for i in self.idx]

    def levels(self, p):
        e, m = [], []
        for k, hs in zip(self.m, self.h, strict=True):
            e.append(sla.eigvalsh(sum(p[n] * h for n, h in zip(self.names, hs, strict=True))))
            m.append(np.full(e[-1].size, k / 2))
        return np.concatenate(e), np.concatenate(m)


def observables_from_levels(e, m, g):
    chi = C_CGS * g**2 * thermal(e, m**2, T_CHI) / T_CHI
    ms = [-g * thermal(e + g * MU_B_K * b * m, m, T_M) for b in B_M]
    return chi, np.array(ms).T


def gaussian(chi, m, data):
    chi_d, m_d = data
    return -0.5 * (np.sum(((chi - chi_d) / (1e-3 * chi_d)) ** 2) + np.sum(((m - m_d) / 0.01) ** 2))


def loglike_blocked(model, p, data):
    e, m = model.levels(p)
    return gaussian(*observables_from_levels(e, m, p["g"]), data)


class QuSpinModel:
    """QuSpin: one ``hamiltonian`` per bond class and S^z sector, built once, then summed."""

    def __init__(self, n, bonds):
        from quspin.basis import spin_basis_general
        from quspin.operators import hamiltonian

        self.names, self.sectors = list(bonds), []
        for nup in range(n + 1):
            basis = spin_basis_general(n, Nup=nup, pauli=False)
            ops = []
            for name in self.names:
                lst = [[1.0, i, j] for i, j in bonds[name]]
                static = [["xx", lst], ["yy", lst], ["zz", lst]]
                ops.append(
                    hamiltonian(
                        static,
                        [],
                        basis=basis,
                        dtype=np.float64,
                        check_symm=False,
                        check_herm=False,
                        check_pcon=False,
                    )
                )
            self.sectors.append((nup - n / 2, ops))

    def levels(self, p):
        e, m = [], []
        for mz, ops in self.sectors:
            h = sum((p[n] * op for n, op in zip(self.names, ops, strict=True)), start=0 * ops[0])
            e.append(h.eigvalsh() if h.Ns > 1 else np.real(h.toarray()).ravel())
            m.append(np.full(e[-1].size, mz))
        return np.concatenate(e), np.concatenate(m)


def value_and_fd_grad(f, p):
    """What scipy.optimize.approx_fprime does: forward differences, n_params + 1 calls."""
    v0 = f(p)
    grad = {}
    for k in p:
        q = dict(p)
        h = 1e-6 * max(1.0, abs(p[k]))
        q[k] = p[k] + h
        grad[k] = (f(q) - v0) / h
    return v0, grad
