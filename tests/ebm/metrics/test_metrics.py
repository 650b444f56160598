"""KL, energy-fit, basins/coverage and stability metrics against brute force."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from bayesfit.ebm import RBM, SK, CurieWeiss, RBMParams
from bayesfit.ebm import metrics as M

from ..brute import greedy_descent, sk_energy, spin_states


def test_kl_exact_matches_numpy():
    rng = np.random.default_rng(0)
    p, q = rng.dirichlet(np.ones(8)), rng.dirichlet(np.ones(8))
    kl = M.kl_exact(jnp.log(p), jnp.log(q))
    assert float(kl.pq) == pytest.approx(np.sum(p * np.log(p / q)), rel=1e-12)
    assert float(kl.qp) == pytest.approx(np.sum(q * np.log(q / p)), rel=1e-12)


def test_energy_fit_is_shift_invariant_and_weighted():
    E = jnp.array([0.0, 1.0, 2.0, 3.0])
    log_p = -E - jax.nn.logsumexp(-E)
    assert float(M.energy_fit_exact(E, E + 5.0, log_p).weighted) == pytest.approx(0, abs=1e-12)
    F = E + jnp.array([0.0, 0.0, 0.0, 2.0])
    ef = M.energy_fit_exact(E, F, log_p)
    p = np.exp(np.asarray(log_p))
    dev = np.array([0, 0, 0, 2.0])
    assert float(ef.weighted) == pytest.approx(np.sqrt(np.sum(p * (dev - p @ dev) ** 2)))
    assert float(ef.uniform) == pytest.approx(np.std(dev))


def test_basins_match_bruteforce_descent():
    t = SK(8, beta=2.0, seed=11)
    enum = t.enumerate()
    b = M.basins(enum.energy, enum.log_p)
    S = spin_states(8)
    J = np.asarray(t.J)
    energy = lambda s: sk_energy(J, 2.0, s)  # noqa: E731
    roots = [greedy_descent(energy, s) for s in S]
    want = np.array([int(sum((1 << i) for i, v in enumerate(r) if v > 0)) for r in roots])
    np.testing.assert_array_equal(np.asarray(b.label), want)
    assert float(b.p_mass.sum()) == pytest.approx(1.0, abs=1e-12)


def test_coverage_on_curie_weiss():
    t = CurieWeiss(10, beta=1.5)
    ref = M.exact_reference(t)
    cov = M.coverage_exact(ref.basins, ref.enumeration.log_p)
    assert (cov.covered, cov.total) == (2, 2) and cov.basin_tv == pytest.approx(0, abs=1e-12)
    # a model holding only the all-up basin covers one of the two modes
    up = np.asarray(spin_states(10)).sum(axis=1) > 0
    log_q = jnp.where(up, ref.enumeration.log_p, -jnp.inf)
    log_q = log_q - jax.nn.logsumexp(log_q)
    cov = M.coverage_exact(ref.basins, log_q)
    assert (cov.covered, cov.total) == (1, 2)
    assert cov.basin_tv == pytest.approx(0.5, abs=1e-9)


def test_sampled_metrics_agree_with_exact():
    t = SK(10, beta=1.0, seed=3)
    rbm = RBM(10, 6)
    k = jax.random.split(jax.random.key(0), 3)
    p = RBMParams(a=0.2 * jax.random.normal(k[0], (10,)), b=0.2 * jax.random.normal(k[1], (6,)),
                  W=0.3 * jax.random.normal(k[2], (6, 10)))
    ref = M.exact_reference(t)
    exact = M.evaluate_exact(rbm, p, ref)
    x_p = t.sample(jax.random.key(1), 20000)
    est = M.evaluate_sampled(rbm, p, t, x_p, jax.random.key(2),
                             log_Z_p=float(ref.enumeration.log_Z), chains=20000, sweeps=50)
    for key in ("kl_pq", "kl_qp", "energy_error"):
        assert est[key][0] == pytest.approx(exact[key][0], rel=0.05, abs=0.02), key
    assert est["modes_total"][0] == exact["modes_total"][0]


def test_stability_summary():
    assert M.max_relapse([3.0, 2.0, 1.0]) == pytest.approx(0.0)
    assert M.max_relapse([3.0, 1.0, 2.0]) == pytest.approx(np.log(2.0))

    class H:
        finite = np.array([[True, True], [True, False]])
        energy_error_data = np.array([[2.0, 1.0], [2.0, 4.0]])
        grad_norm = np.ones((2, 2))

    st = M.stability(H(), {"kl_pq": np.array([0.1, 0.3])})
    assert st["diverged"] == 0.5
    assert st["relapse"] == pytest.approx(0.5 * np.log(2.0))
    assert st["kl_pq_seed_sd"] == pytest.approx(np.std([0.1, 0.3], ddof=1))
    assert st["grad_cv"] == 0.0
