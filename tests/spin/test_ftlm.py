"""FTLM kernel (bayesfit.spin.FtlmCluster) against a dense ED written here, gradients
against finite differences, the model-error variance in the likelihood, input errors."""

from functools import cache

import jax
import jax.numpy as jnp
import numpy as np
import numpyro.distributions as dist
import pytest

from bayesfit.core import Dataset, Problem
from bayesfit.errors import BayesfitError
from bayesfit.spin import FTLM, FtlmCluster
from bayesfit.spin.kernel import build

# 10-site ring, two bond classes (alternating AF / weaker AF), +J convention, kelvin
N = 10
BONDS = {
    "J1": [(i, i + 1) for i in range(0, N, 2)],
    "J2": [(i, (i + 1) % N) for i in range(1, N, 2)],
}
PARAMS = {"J1": 60.0, "J2": 25.0, "g": 2.1}
T = np.array([1.0, 2.0, 5.0, 10.0, 20.0, 40.0, 80.0, 150.0, 300.0])
B = np.array([1.0, 10.0, 40.0, 80.0])
T_M = 8.0
# Plain Lanczos loses orthogonality once Ritz values converge; forward mode then
# differentiates the exact-arithmetic recursion along the rounded trajectory. That agrees
# with finite differences to ~1e-4 for chi (1e-10 before convergence, checked with 10
# steps) and ~3e-3 for a likelihood whose noise holds the jackknife sd (a difference of
# leave-one-out estimates, which amplifies it).
RTOL_GRAD = 1e-2
# constants written out here (CODATA 2018), independent of bayesfit.spin._units
MU_B_K = 0.67171381563  # K/T
CURIE = 0.37514810  # emu K/mol
R = 8.314462618  # J/(mol K)


def dense_ed(j1, j2, g):
    """All levels and M of the ring, from Kronecker products (no symmetry used)."""
    sx = np.array([[0, 0.5], [0.5, 0]])
    sy = np.array([[0, -0.5j], [0.5j, 0]])
    sz = np.diag([0.5, -0.5])

    def site(op, i):
        out = np.array([[1.0]])
        for k in range(N):
            out = np.kron(out, op if k == i else np.eye(2))
        return out

    ops = [[site(o, i) for i in range(N)] for o in (sx, sy, sz)]
    h = np.zeros((2**N, 2**N), complex)
    for j, bonds in ((j1, BONDS["J1"]), (j2, BONDS["J2"])):
        for a, b in bonds:
            h += j * sum(o[a] @ o[b] for o in ops)
    mz_diag = np.real(np.diag(sum(ops[2])))  # S^z_total is diagonal in this basis
    e, mz = [], []
    for m in np.unique(mz_diag):  # it commutes with H: diagonalise each block
        sel = np.flatnonzero(mz_diag == m)
        e.append(np.linalg.eigvalsh(h[np.ix_(sel, sel)]))
        mz.append(np.full(sel.size, m))
    e, mz = np.concatenate(e), np.concatenate(mz)
    return e - e.min(), mz


def thermal(e, mz, g, t, b=0.0):
    """chi (emu/mol), C (J/(mol K)) and M (mu_B) at temperature t (K), field b (T)."""
    x = e - g * MU_B_K * b * mz
    w = np.exp(-(x - x.min()) / t)
    w /= w.sum()
    m2 = np.sum(w * mz**2) - np.sum(w * mz) ** 2
    c = (np.sum(w * x**2) - np.sum(w * x) ** 2) / t**2
    return CURIE * g**2 * m2 / t, R * c, g * np.sum(w * mz)


@cache
def reference():
    e, mz = dense_ed(PARAMS["J1"], PARAMS["J2"], PARAMS["g"])
    g = PARAMS["g"]
    chi = np.array([thermal(e, mz, g, t)[0] for t in T])
    c = np.array([thermal(e, mz, g, t)[1] for t in T])
    m = np.array([thermal(e, mz, g, T_M, b)[2] for b in B])
    return chi, c, m


SETTINGS = {
    "spins": [0.5] * N,
    "bonds": {k: [list(b) for b in v] for k, v in BONDS.items()},
    "convention": "+J",
    "energy_unit": "K",
    "solver": "ftlm",
    # sectors of 252 and 210 states by FTLM (8 exact states each), smaller ones dense
    "ftlm_vectors": 12,
    "ftlm_steps": 40,
    "ftlm_seed": 3,
    "ftlm_exact_states": 8,
    "ftlm_exact_steps": 40,
    "ftlm_dense_dim": 150,
}


@cache
def kernel():
    """The cluster as a model file builds it (solver = "ftlm")."""
    return build(SETTINGS, where="test")


def cluster():
    return kernel().cluster


@cache
def observables():
    c = cluster()
    out = (
        c.susceptibility(PARAMS, T, sd=True),
        c.heat_capacity(PARAMS, T, sd=True),
        c.magnetization(PARAMS, B, T_M, sd=True),
    )
    return jax.tree.map(np.asarray, out)


@pytest.mark.parametrize("which", ["chi", "C", "M"])
def test_within_stated_error_of_dense_ed(which):
    k = ["chi", "C", "M"].index(which)
    value, sd = observables()[k]
    ref = reference()[k]
    assert np.all(np.isfinite(value)) and np.all(sd >= 0)
    # FTLM estimate within 4 jackknife sd (plus rounding) of the exact values ...
    # (1e-6: convergence of the exact low states' Ritz values, not part of the sd)
    assert np.all(np.abs(value - ref) <= 4 * sd + 1e-6 * np.abs(ref)), (value, ref, sd)
    # ... and the stated error is small and not vacuous
    assert np.all(sd <= 0.1 * np.abs(ref) + 1e-300)
    assert np.max(sd / np.abs(ref)) > 1e-6


def test_low_temperatures_exact():
    """Below the first excitations only the exact low states of each sector count."""
    (chi, sd), (c, _), _ = observables()
    chi_ref, c_ref, _ = reference()
    low = T <= 2.0  # T < J / 10: chi and C ~ exp(-gap / T)
    np.testing.assert_allclose(chi[low], chi_ref[low], rtol=1e-4, atol=0)
    np.testing.assert_allclose(c[low], c_ref[low], rtol=1e-4, atol=0)
    assert np.all(sd[low] <= 1e-4 * chi_ref[low])


def test_gradient_matches_finite_differences():
    """The exact derivative of the seeded estimate (not a stochastic estimate of it), for
    a likelihood whose noise includes the jackknife sd (its gradient included)."""
    c = cluster()
    y = reference()[0]
    sigma = 0.01 * y

    def f(j1, j2):
        chi, sd = c.susceptibility({"J1": j1, "J2": j2, "g": PARAMS["g"]}, T, sd=True)
        var = sigma**2 + sd**2
        return jnp.sum(-0.5 * (y - chi) ** 2 / var - 0.5 * jnp.log(var))

    grad = jax.grad(f, argnums=(0, 1))(60.0, 25.0)
    h = 1e-3
    fd = [
        (f(60.0 + h, 25.0) - f(60.0 - h, 25.0)) / (2 * h),
        (f(60.0, 25.0 + h) - f(60.0, 25.0 - h)) / (2 * h),
    ]
    assert np.all(np.isfinite(np.array(grad)))
    np.testing.assert_allclose(np.array(grad), np.array(fd), rtol=RTOL_GRAD)


def test_kernel_adds_model_error_to_noise():
    """solver = "ftlm" in a model file: the dataset model carries the jackknife sd, and
    the likelihood's noise is sqrt(sigma^2 + sd^2)."""
    k = kernel()
    assert isinstance(k.cluster, FtlmCluster) and k.cluster.path == "ftlm"
    model = k.dataset_model({"observable": "susceptibility"}, where="test")
    y = np.asarray(model.fn(PARAMS, jnp.asarray(T)))
    sd = np.asarray(model.sd(PARAMS, jnp.asarray(T)))
    chi, chi_sd = observables()[0]
    np.testing.assert_allclose(y, chi, rtol=1e-12)
    np.testing.assert_allclose(sd, chi_sd, rtol=1e-12)
    sigma = 1e-4
    ds = Dataset(T, y, sigma=sigma, model=model.fn, model_sd=model.sd, name="chi")
    prob = Problem({"J1": dist.Uniform(0.0, 100.0), "J2": 25.0, "g": 2.1}, [ds])
    p = prob.full({"J1": jnp.asarray(60.0)})
    np.testing.assert_allclose(prob.noise(ds, p), np.sqrt(sigma**2 + sd**2), rtol=1e-12)
    expected = np.sum(-0.5 * np.log(2 * np.pi * (sigma**2 + sd**2)))  # y = prediction
    np.testing.assert_allclose(prob.log_likelihood({"J1": 60.0}), expected, rtol=1e-10)


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"spins": [1.0, 0.5]}, "spin-1/2"),
        ({"g_groups": {"g_a": [0], "g_b": [1]}}, "one g"),
        ({"options": "fast"}, "FTLM"),
    ],
)
def test_refuses_what_it_cannot_do(kwargs, match):
    args = {"spins": [0.5, 0.5], "couplings": {"J": [(0, 1)]}, **kwargs}
    with pytest.raises(BayesfitError, match=match):
        FtlmCluster(args.pop("spins"), args.pop("couplings"), **args)


def test_bad_options_and_solver_name():
    with pytest.raises(BayesfitError, match="vectors"):
        FTLM(vectors=1)
    with pytest.raises(BayesfitError, match="exact_states"):
        FTLM(exact_states=50, exact_steps=40)
    with pytest.raises(BayesfitError, match="solver"):
        build(
            {"spins": [0.5] * 2, "bonds": {"J": [[0, 1]]}, "convention": "+J",
             "energy_unit": "K", "solver": "lanczos"},
            where="m.toml",
        )
    with pytest.raises(BayesfitError, match="need solver"):
        build(
            {"spins": [0.5] * 2, "bonds": {"J": [[0, 1]]}, "convention": "+J",
             "energy_unit": "K", "ftlm_vectors": 8},
            where="m.toml",
        )


def test_refuses_clusters_over_the_memory_limit():
    ring = {"J": [(i, (i + 1) % 24) for i in range(24)]}
    with pytest.raises(BayesfitError, match="max_memory_gib"):
        FtlmCluster([0.5] * 24, ring, max_memory_gib=0.5)


def test_sector_states_and_flips_by_brute_force():
    """Lin's tables: the states of every S^z sector and the flipped-state indices."""
    from bayesfit.spin._lanczos import build_tables, flip_indices, hi_offsets, sector_states

    n, bonds = 7, [(0, 1), (2, 6), (3, 5)]
    t = build_tables(n)
    for n_up in (2, 4):  # two sectors: each new shape costs eager-JAX compiles
        ref = np.array([s for s in range(2**n) if bin(s).count("1") == n_up])
        off, dim = hi_offsets(t, n, n_up)
        states = np.asarray(sector_states(t, off, n_up, dim))
        np.testing.assert_array_equal(states, ref)
        idx, differ = flip_indices(jnp.asarray(states), jnp.asarray(off),
                                   jnp.asarray(t.lo_rank), bonds, t.n_lo)
        for b, (i, j) in enumerate(bonds):
            flipped = ref ^ ((1 << i) | (1 << j))
            d = ((ref >> i) ^ (ref >> j)) & 1 == 1
            np.testing.assert_array_equal(np.asarray(differ[b]), d)
            np.testing.assert_array_equal(ref[np.asarray(idx[b])[d]], flipped[d])
