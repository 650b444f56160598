"""Spin-cluster kernel: one joint log-likelihood *and its gradient*, bayesfit vs baselines.

The likelihood: chi(T) at 200 temperatures (zero field) plus M(B) at 3 temperatures x 100
fields, Gaussian with known noise, for a J1-J2 ring (+J, parameters J1, J2, g) of n spins
1/2, and one mixed-spin ring (S = 1/2, 1 alternating). Compared in the same run:

* ``scipy dense``: what a user writes first: ``scipy.linalg.eigh`` of the full 2^n matrix
  at zero field and at every field, thermal averages from the eigenvectors, forward-
  difference gradient (n_params + 1 evaluations);
* ``scipy blocked``: a careful user: ``eigvalsh`` of every S^z block once, Zeeman as a
  shift, forward differences;
* ``quspin``: QuSpin's ``spin_basis_general`` per S^z sector, one ``hamiltonian`` per bond
  class built once, summed with the parameter values and ``.eigvalsh()``-ed per call,
  Zeeman as a shift, forward differences (spin-1/2 clusters only);
* ``bayesfit``: ``jax.jit(jax.value_and_grad(loglike))``, after compilation;
* ``bayesfit vmap``: the batched path, ``jit(vmap(value_and_grad))`` over 32 parameter
  sets, time per set (the GPU-ready path; CPU timing here).

Where a baseline would take more than ~60 s it is extrapolated from the timing of one
diagonalisation and the number it needs (marked ``~``). Run:
``.venv/bin/python benchmarks/spin_kernel.py [--sizes 4 6 8 10 12 14] [--quick]``.

A second table (``--floor [CASE ...]``; printed after the first in a full run) gives each
route's time as a ratio to its LAPACK floor measured in the same run: the LAPACK ``syevd``
solves of the route's own matrices that the likelihood needs (multiplet: one per total-spin
sector, eigenvalues only for a value; blocks: every S^z block per distinct field; powder:
the full space per distinct field and direction), for rings of 8-16 spins 1/2 and the
anisotropic cases, each in its own process, with its peak memory beside the estimate of
``bayesfit.spin._memory`` (the guard).
"""

from __future__ import annotations

import argparse
import os
import time

import jax
import jax.numpy as jnp
import numpy as np
import scipy.linalg as sla
import scipy.sparse as sp
from threadpoolctl import threadpool_limits

import bayesfit  # noqa: F401  (float64)
from bayesfit.spin import Cluster

MU_B_K, C_CGS = 0.671713815, 0.375148095
T_CHI = np.geomspace(2.0, 300.0, 200)
T_M = np.array([2.0, 4.2, 10.0])
B_M = np.linspace(0.5, 60.0, 100)
P0 = {"J1": 30.0, "J2": 8.0, "g": 2.05}
BUDGET_S = 60.0


def ring_bonds(n):
    j1 = sorted({tuple(sorted((i, (i + 1) % n))) for i in range(n)})
    j2 = sorted({tuple(sorted((i, (i + 2) % n))) for i in range(n)} - set(j1))
    return {"J1": j1, "J2": j2} if j2 else {"J1": j1}


# ----------------------------------------------------------------------------- baselines
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


def timed(fn, repeat=3):
    best = np.inf
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


# ----------------------------------------------------------------------------- bayesfit
def bayesfit_loglike(cluster, data):
    chi_d, m_d = (jnp.asarray(x) for x in data)
    b = jnp.asarray(B_M)[None, :]
    t = jnp.asarray(T_M)[:, None]

    def loglike(p):
        chi = cluster.susceptibility(p, T_CHI)
        m = cluster.magnetization(p, b, t)
        return -0.5 * (
            jnp.sum(((chi - chi_d) / (1e-3 * chi_d)) ** 2) + jnp.sum(((m - m_d) / 0.01) ** 2)
        )

    return loglike


def bench_bayesfit(cluster, data, p, batch=32):
    loglike = bayesfit_loglike(cluster, data)
    vg = jax.jit(jax.value_and_grad(loglike))
    t0 = time.perf_counter()
    jax.block_until_ready(vg(p))
    compile_s = time.perf_counter() - t0
    run = timed(lambda: jax.block_until_ready(vg(p)), repeat=5)
    rng = np.random.default_rng(0)
    pb = {k: jnp.asarray(v * (1 + 0.05 * rng.standard_normal(batch))) for k, v in p.items()}
    vmapped = jax.jit(jax.vmap(jax.value_and_grad(loglike)))
    jax.block_until_ready(vmapped(pb))
    per_set = timed(lambda: jax.block_until_ready(vmapped(pb)), repeat=2) / batch
    value = float(vg(p)[0])
    return run, compile_s, per_set, value


def bench_case(label, spins, bonds, *, quspin: bool):
    p = {k: v for k, v in P0.items() if k in bonds or k == "g"}
    t0 = time.perf_counter()
    cluster = Cluster(spins, bonds, convention="+J")
    build_s = time.perf_counter() - t0
    truth = dict(p, J1=0.9 * p["J1"])  # data from slightly different parameters
    data = (
        np.asarray(cluster.susceptibility(truth, T_CHI)),
        np.asarray(cluster.magnetization(truth, B_M[None, :], T_M[:, None])),
    )
    run, compile_s, per_set, value = bench_bayesfit(cluster, data, p)
    n_eval = len(p) + 1
    row = {
        "case": label,
        "dim": int(np.prod([2 * s + 1 for s in spins])),
        "build_s": build_s,
        "compile_s": compile_s,
        "bayesfit_s": run,
        "vmap_s": per_set,
    }
    dense = DenseModel(spins, bonds)
    # scipy dense: 1 + len(B_M) eigh per evaluation
    if row["dim"] <= 256:
        row["dense_s"] = timed(
            lambda: value_and_fd_grad(lambda q: loglike_dense(dense, q, data), p), repeat=1
        )
        row["dense_est"] = False
        check = loglike_dense(dense, p, data)
        row["check"] = abs(check - value) / abs(value)
    else:
        dim = row["dim"]
        a = np.random.default_rng(1).standard_normal((min(dim, 4096),) * 2)
        one = timed(lambda: sla.eigh(a + a.T), repeat=1) * (dim / a.shape[0]) ** 3
        row["dense_s"], row["dense_est"] = one * (1 + len(B_M)) * n_eval, True
    if True:
        blocked = BlockModel(dense)
        once = timed(lambda: loglike_blocked(blocked, p, data), repeat=1)
        if once * n_eval < BUDGET_S:
            row["blocked_s"] = timed(
                lambda: value_and_fd_grad(lambda q: loglike_blocked(blocked, q, data), p), repeat=2
            )
        else:
            row["blocked_s"] = once * n_eval
        row["blocked_est"] = once * n_eval >= BUDGET_S
    if quspin:
        qs = QuSpinModel(len(spins), bonds)
        f = lambda q: gaussian(*observables_from_levels(*qs.levels(q), q["g"]), data)  # noqa: E731
        once = timed(lambda: f(p), repeat=1)
        row["quspin_s"] = (
            timed(lambda: value_and_fd_grad(f, p), repeat=1)
            if once * n_eval < BUDGET_S
            else once * n_eval
        )
        row["quspin_est"] = once * n_eval >= BUDGET_S
    return row


def fmt(row, key):
    if key not in row:
        return "n/a"
    v = row[key]
    s = f"{v * 1e3:.1f} ms" if v < 1 else f"{v:.2f} s"
    return ("~" + s) if row.get(key.replace("_s", "_est")) else s


# ----------------------------------------------------------------------------- LAPACK floor
def floor_cases():
    """name -> (spins, bonds, Cluster keyword arguments, parameters)."""
    out = {}
    for n in (8, 10, 12, 14, 16):
        out[f"{n} x S=1/2 ring"] = ([0.5] * n, ring_bonds(n), {}, dict(P0))
    ring6 = ring_bonds(6)
    out["4 x S=1 ring, D"] = (
        [1] * 4,
        {"J1": ring_bonds(4)["J1"]},
        {"anisotropy": {"D": [0, 1, 2, 3]}},
        {"J1": 5.0, "D": 3.0, "g": 2.05},
    )
    out["6-site ring S=1/2,1, D"] = (
        [0.5, 1] * 3,
        ring6,
        {"anisotropy": {"D": [1, 3, 5]}},
        {"J1": 30.0, "J2": 8.0, "D": 4.0, "g": 2.05},
    )
    out["6-site ring S=1/2,1, two g"] = (
        [0.5, 1] * 3,
        ring6,
        {"g_groups": {"ga": [0, 2, 4], "gb": [1, 3, 5]}},
        {"J1": 30.0, "J2": 8.0, "ga": 2.05, "gb": 2.2},
    )
    return out


def cpu_timed(fn, repeat=3):
    """Best CPU time (all threads of this process) of ``repeat`` calls: on a shared,
    oversubscribed machine wall time measures the neighbours, CPU time the work."""
    best = np.inf
    for _ in range(repeat):
        t0 = time.process_time()
        fn()
        best = min(best, time.process_time() - t0)
    return best


def _lapack_time(mats, vectors: bool) -> float:
    """Best-of-5 CPU time of one LAPACK ``syevd`` of every matrix in ``mats`` (SciPy's
    LAPACK, the one jaxlib calls)."""
    return sum(
        cpu_timed(lambda m=m: sla.eigh(m, eigvals_only=not vectors, driver="evd"), repeat=5)
        for m in mats
    )


def floor_case(name) -> dict:
    """One case in this process: bayesfit value and value+grad vs the LAPACK floor."""
    import resource

    spins, bonds, kw, p = floor_cases()[name]
    t0 = time.perf_counter()
    cluster = Cluster(spins, bonds, convention="+J", **kw)
    build_s = time.perf_counter() - t0
    p = {k: jnp.asarray(v) for k, v in p.items()}
    b = jnp.asarray(B_M)[None, :]
    t = jnp.asarray(T_M)[:, None]

    def loglike(q):
        chi = cluster.susceptibility(q, T_CHI)
        m = cluster.magnetization(q, b, t)
        return jnp.sum(jnp.log(chi)) + jnp.sum(m)

    value = jax.jit(loglike)
    vg = jax.jit(jax.value_and_grad(loglike))
    t0 = time.perf_counter()
    jax.block_until_ready(vg(p))
    compile_s = time.perf_counter() - t0
    jax.block_until_ready(value(p))
    rep = 2 if cluster.path != "multiplet" else 5
    run_v = cpu_timed(lambda: jax.block_until_ready(value(p)), repeat=rep)
    run_g = cpu_timed(lambda: jax.block_until_ready(vg(p)), repeat=rep)
    # the diagonalisations the route needs, on the route's own matrices
    engine = cluster._engine
    co, _ = engine.unpack(p)
    if cluster.path == "multiplet":
        mats = [np.asarray(jnp.einsum("c,cij->ij", co.jk, m)) for m in engine.iso.mats]
        floor_v, floor_g, n_diag = _lapack_time(mats, False), _lapack_time(mats, True), len(mats)
    else:
        if cluster.path == "blocks":
            mats = [np.asarray(h) for h in engine.blocks.hamiltonians(co.jk)]
            per_field = 1
        else:
            mats = [np.asarray(engine.full.hamiltonian(co))]
            per_field = cluster._engine.powder_points
        # chi: 2 fields (Richardson) x (1 axis, or z and x); M: one per field and direction
        n_fields = 2 * (1 if cluster.path == "blocks" else 2) + B_M.size * per_field
        one = _lapack_time(mats, True)
        floor_v = floor_g = one * n_fields
        n_diag = n_fields * len(mats)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20  # GiB (Linux: KiB)
    return {
        "case": name,
        "path": cluster.path,
        "dim": int(np.prod([2 * s + 1 for s in spins])),
        "n_diag": n_diag,
        "build_s": build_s,
        "compile_s": compile_s,
        "value_s": run_v,
        "grad_s": run_g,
        "floor_value_s": floor_v,
        "floor_grad_s": floor_g,
        "peak_gib": peak,
        "guard_gib": cluster.memory_gib,
    }


def floor_table(names, blas_threads):
    """Each case in its own process (peak memory per case); prints the ratio table."""
    import json
    import subprocess
    import sys

    print(
        "\n# route CPU time / LAPACK floor (SciPy's LAPACK syevd on the route's own matrices, "
        "same run, "
        f"{blas_threads} BLAS thread(s)); value: eigvalsh floor on the multiplet route, eigh "
        "elsewhere (thermal averages need vectors); value+grad: eigh floor"
    )
    head = (
        "case",
        "route",
        "dim",
        "diagonalisations",
        "build",
        "compile",
        "value",
        "x floor",
        "value+grad",
        "x floor",
        "grad/value",
        "peak RSS",
        "guard",
    )
    print("| " + " | ".join(head) + " |")
    print("|" + "---|" * len(head))
    for name in names:
        cmd = [sys.executable, __file__, "--floor-case", name, "--blas-threads", str(blas_threads)]
        proc = subprocess.run(cmd, capture_output=True, text=True)
        if proc.returncode:
            print(f"| {name} | failed: {proc.stderr.strip().splitlines()[-1:]} |", flush=True)
            continue
        r = json.loads(proc.stdout.strip().splitlines()[-1])
        cells = [
            r["case"],
            r["path"],
            str(r["dim"]),
            str(r["n_diag"]),
            f"{r['build_s']:.1f} s",
            f"{r['compile_s']:.1f} s",
            fmt(r, "value_s"),
            f"{r['value_s'] / r['floor_value_s']:.2f}",
            fmt(r, "grad_s"),
            f"{r['grad_s'] / r['floor_grad_s']:.2f}",
            f"{r['grad_s'] / r['value_s']:.2f}",
            f"{r['peak_gib']:.2f} GiB",
            f"{r['guard_gib']:.2f} GiB",
        ]
        print("| " + " | ".join(cells) + " |", flush=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", type=int, nargs="*", default=[4, 6, 8, 10, 12, 14])
    ap.add_argument("--quick", action="store_true", help="sizes 4 and 8 only")
    ap.add_argument(
        "--blas-threads",
        type=int,
        default=1,
        help="OpenBLAS threads for every method (default 1: on a busy machine "
        "each hand-off of a small eigh to the pool can stall ~20 ms)",
    )
    ap.add_argument(
        "--floor",
        nargs="*",
        default=None,
        metavar="CASE",
        help="only the LAPACK-floor table (all cases, or the named ones; "
        f"cases: {', '.join(floor_cases())})",
    )
    ap.add_argument("--floor-case", help=argparse.SUPPRESS)
    args = ap.parse_args()
    threadpool_limits(limits=args.blas_threads, user_api="blas")
    if args.floor_case:
        import json

        print(json.dumps(floor_case(args.floor_case)))
        return
    if args.floor is not None:
        floor_table(args.floor or list(floor_cases()), args.blas_threads)
        return
    sizes = [4, 8] if args.quick else args.sizes
    cases = [(f"{n} x S=1/2 ring", [0.5] * n, ring_bonds(n), True) for n in sizes]
    cases.append(("6-site ring S=1/2,1", [0.5, 1] * 3, ring_bonds(6), False))
    print(
        f"# spin_kernel benchmark: value + gradient of a joint log-likelihood "
        f"(chi x {T_CHI.size} T, M x {T_M.size} T x {B_M.size} B)"
    )
    print(
        f"# jax {jax.__version__}, {jax.devices()[0].platform}, {os.cpu_count()} CPU cores, "
        f"BLAS threads {args.blas_threads}, load average {os.getloadavg()[0]:.1f}; "
        "'~' = extrapolated from one diagonalisation"
    )
    head = (
        "case",
        "dim",
        "build",
        "compile",
        "bayesfit",
        "vmap/set",
        "scipy dense",
        "scipy blocked",
        "quspin",
        "x dense",
        "x blocked",
        "x quspin",
    )
    print("| " + " | ".join(head) + " |")
    print("|" + "---|" * len(head))
    for label, spins, bonds, qs in cases:
        r = bench_case(label, spins, bonds, quspin=qs)
        ratio = [
            f"{r[k] / r['bayesfit_s']:.0f}x" if k in r else "n/a"
            for k in ("dense_s", "blocked_s", "quspin_s")
        ]
        cells = [
            r["case"],
            str(r["dim"]),
            f"{r['build_s']:.2f} s",
            f"{r['compile_s']:.1f} s",
            fmt(r, "bayesfit_s"),
            fmt(r, "vmap_s"),
            fmt(r, "dense_s"),
            fmt(r, "blocked_s"),
            fmt(r, "quspin_s"),
            *ratio,
        ]
        print("| " + " | ".join(cells) + " |", flush=True)
        if "check" in r:
            assert r["check"] < 1e-6, f"bayesfit and scipy dense disagree: {r['check']:.2e}"
    if not args.quick:
        floor_table(list(floor_cases()), args.blas_threads)


# ---------------------------------------------------------------------------------- FTLM
# Finite-temperature Lanczos (bayesfit.spin.FtlmCluster), spin-1/2 Heisenberg rings beyond
# ED: value + gradient of a chi(T) likelihood (100 temperatures, 1-300 K, model error
# added to the noise), accuracy against the exact multiplet route where it is possible
# (N <= 14), and the bulk Heisenberg-chain maximum (Eggert, Affleck, Takahashi PRL 73, 332
# (1994); Johnston et al. PRB 61, 9558 (2000): chi J / (N g^2 mu_B^2) = 0.146926 at
# T / J = 0.640851) on a ring of the largest size. Run:
# ``.venv/bin/python benchmarks/spin_kernel.py --ftlm [--ftlm-sizes 12 14 16 18 20]``.
CHAIN_MAX, CHAIN_T_MAX = 0.146926, 0.640851


def _ftlm_case(n: int, opts, j_k: float = 100.0):
    import resource

    from bayesfit.spin import FTLM, FtlmCluster  # noqa: F401

    bonds = {"J": [(i, (i + 1) % n) for i in range(n)]}
    t = jnp.asarray(np.geomspace(1.0, 300.0, 100))
    p = {"J": j_k, "g": 2.0}
    t0 = time.perf_counter()
    c = FtlmCluster([0.5] * n, bonds, convention="+J", options=opts, max_memory_gib=3.0)
    build = time.perf_counter() - t0
    y, sd = c.susceptibility(p, t, sd=True)
    y = np.asarray(y) * (1 + 0.01 * np.random.default_rng(0).standard_normal(t.shape))
    sigma = 0.01 * np.abs(y)

    def loglike(q):
        mu, s = c.susceptibility(q, t, sd=True)
        var = sigma**2 + s**2
        return jnp.sum(-0.5 * (y - mu) ** 2 / var - 0.5 * jnp.log(var))

    vg = jax.jit(jax.value_and_grad(loglike))
    val = jax.jit(loglike)
    t0 = time.perf_counter()
    jax.block_until_ready(vg(p))
    jax.block_until_ready(val(p))
    compile_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    jax.block_until_ready(val(p))
    value_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    _, grad = jax.block_until_ready(vg(p))
    grad_s = time.perf_counter() - t0
    chi, sd = (np.asarray(a) for a in c.susceptibility(p, t, sd=True))
    out = {
        "n": n,
        "dim": max(s[1] for s in c.sectors),
        "build": build,
        "compile": compile_s,
        "value": value_s,
        "grad": grad_s,
        "sd_med": float(np.median(sd / chi)),
        "sd_low": float(np.max((sd / chi)[np.asarray(t) <= 10.0])),
        "rss_gib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2,
        "finite": bool(np.all(np.isfinite([grad["J"], grad["g"]]))),
    }
    if n <= 14:
        ed = np.asarray(Cluster([0.5] * n, bonds, convention="+J").susceptibility(p, t))
        err = np.abs(chi - ed) / ed
        out["err_med"] = float(np.median(err))
        out["err_low"] = float(np.max(err[np.asarray(t) <= 10.0]))
        out["err_max"] = float(np.max(err))
        z = np.abs(chi - ed) / (sd + 1e-6 * ed)  # 1e-6: convergence of the exact part
        out["z_max"] = float(np.max(z))
        out["t_err_max"] = float(np.asarray(t)[np.argmax(err)])
    return out, c


def _chain_check(c, j_k: float = 100.0):
    """Height and position of the chi maximum of the ring vs the infinite chain."""
    tj = np.linspace(0.5, 0.8, 31)
    chi, sd = c.susceptibility({"J": j_k, "g": 2.0}, tj * j_k, sd=True)
    red = np.asarray(chi) * j_k / (C_CGS * 4.0 * c.spec.n_sites)  # chi J / (N g^2 mu_B^2)
    red_sd = np.asarray(sd) * j_k / (C_CGS * 4.0 * c.spec.n_sites)
    k = int(np.argmax(red))
    a, b, _ = np.polyfit(tj[k - 3 : k + 4], red[k - 3 : k + 4], 2)
    t_max = -b / (2 * a)
    return float(np.max(red)), float(red_sd[k]), float(t_max)


def ftlm_main(argv=None):
    parser = argparse.ArgumentParser(description="FTLM speed/accuracy table")
    parser.add_argument("--ftlm", action="store_true")
    parser.add_argument("--ftlm-sizes", type=int, nargs="+", default=[12, 14, 16, 18, 20])
    parser.add_argument("--vectors", type=int, default=20)
    parser.add_argument("--steps", type=int, default=80)
    parser.add_argument("--exact-states", type=int, default=8)
    args = parser.parse_args(argv)
    from bayesfit.spin import FTLM

    opts = FTLM(
        vectors=args.vectors, steps=args.steps, exact_states=args.exact_states, exact_steps=80
    )
    print(f"FTLM {opts}, Heisenberg ring J = 100 K, chi(T) likelihood at 100 T in 1-300 K, CPU")
    print(f"jax {jax.__version__}, devices {jax.devices()}, threads: OPENBLAS "
          f"{os.environ.get('OPENBLAS_NUM_THREADS', 'default')}")
    head = ("N", "largest sector", "build", "compile", "value", "value+grad", "sd median",
            "sd max T<=10K", "err median", "err max T<=10K", "err max", "max |err|/sd",
            "peak RSS")
    print("| " + " | ".join(head) + " |")
    print("|" + "---|" * len(head))
    last = None
    for n in args.ftlm_sizes:
        r, last = _ftlm_case(n, opts)
        pct = lambda k, r=r: f"{100 * r[k]:.3f} %" if k in r else "no ED"  # noqa: E731
        cells = [str(r["n"]), str(r["dim"]), f"{r['build']:.1f} s", f"{r['compile']:.0f} s",
                 f"{r['value']:.2f} s", f"{r['grad']:.2f} s", pct("sd_med"), pct("sd_low"),
                 pct("err_med"), pct("err_low"),
                 pct("err_max") + (f" at {r['t_err_max']:.0f} K" if "err_max" in r else ""),
                 f"{r['z_max']:.1f}" if "z_max" in r else "-", f"{r['rss_gib']:.2f} GiB"]
        print("| " + " | ".join(cells) + " |", flush=True)
        assert r["finite"], "non-finite FTLM gradient"
    if last is not None:
        height, height_sd, t_max = _chain_check(last)
        print(f"\nHeisenberg ring N = {last.spec.n_sites} vs infinite chain: chi_max J/(N g^2 "
              f"mu_B^2) = {height:.5f} +- {height_sd:.5f} (bulk {CHAIN_MAX}), T_max/J = "
              f"{t_max:.4f} (bulk {CHAIN_T_MAX})")


if __name__ == "__main__":
    import sys

    if "--ftlm" in sys.argv:
        with threadpool_limits(limits=1, user_api="blas"):
            ftlm_main(sys.argv[1:])
    else:
        main()
