"""The LAPACK-floor table: each route's CPU time as a ratio to the LAPACK ``syevd`` solves
of its own matrices that the likelihood needs, measured in the same run, with the peak
memory beside the guard's estimate (``bayesfit.spin._memory``)."""

from __future__ import annotations

import time

import jax
import jax.numpy as jnp
import numpy as np
import scipy.linalg as sla

from bayesfit.spin import Cluster

from .common import B_M, P0, T_CHI, T_M, cpu_timed, fmt, print_head, print_row, ring_bonds


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

    # compilation alone (lower + compile), not the first call
    t0 = time.perf_counter()
    vg = jax.jit(jax.value_and_grad(loglike)).lower(p).compile()
    compile_s = time.perf_counter() - t0
    value = jax.jit(loglike).lower(p).compile()
    jax.block_until_ready(vg(p))
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


def floor_table(names, blas_threads, script):
    """Each case in its own process (``script --floor-case NAME``: peak memory per case);
    prints the ratio table."""
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
    print_head(head)
    for name in names:
        cmd = [sys.executable, str(script), "--floor-case", name,
               "--blas-threads", str(blas_threads)]
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
        print_row(cells)
