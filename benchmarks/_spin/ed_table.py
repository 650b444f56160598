"""The main table: bayesfit's jitted value and gradient (and the vmapped batch) of the
joint chi + M likelihood against the baselines, one row per cluster."""

from __future__ import annotations

import time

import jax
import jax.numpy as jnp
import numpy as np
import scipy.linalg as sla

from bayesfit.spin import Cluster

from .baselines import (
    BlockModel,
    DenseModel,
    QuSpinModel,
    gaussian,
    loglike_blocked,
    loglike_dense,
    observables_from_levels,
    value_and_fd_grad,
)
from .common import B_M, BUDGET_S, P0, T_CHI, T_M, timed


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
