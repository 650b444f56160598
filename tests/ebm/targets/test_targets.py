"""Target energies and log Z against brute force and analytic routes."""

from math import comb, log

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from bayesfit.ebm import (
    SK,
    BernoulliMixture,
    CurieWeiss,
    CustomTarget,
    EnumerationTooLarge,
    Ising2D,
    OptionError,
    ShapeError,
)

from ..brute import histogram, logsumexp, sk_energy, spin_states


def test_curie_weiss_log_Z_from_magnetisation_sum():
    n, beta = 11, 1.5
    t = CurieWeiss(n, beta=beta, h=0.1)
    # independent route: sum over magnetisation M = n - 2k with binomial multiplicities
    terms = []
    for k in range(n + 1):
        M = n - 2 * k
        H = -(1.0 / n) * (M * M - n) / 2 - 0.1 * M
        terms.append(log(comb(n, k)) - beta * H)
    assert float(t.enumerate().log_Z) == pytest.approx(logsumexp(terms), abs=1e-10)


def test_sk_energy_matches_pair_loop_and_log_Z():
    t = SK(7, beta=2.0, seed=3)
    J = np.asarray(t.J)
    assert np.allclose(J, J.T) and np.all(np.diag(J) == 0)
    S = spin_states(7)
    ref = np.array([sk_energy(J, 2.0, s) for s in S])
    np.testing.assert_allclose(t.energy(jnp.asarray(S)), ref, atol=1e-12)
    enum = t.enumerate()
    assert float(enum.log_Z) == pytest.approx(logsumexp(-ref), abs=1e-10)
    np.testing.assert_allclose(np.exp(enum.log_p).sum(), 1.0, atol=1e-12)


def test_sk_couplings_scale_as_one_over_sqrt_n():
    J = np.asarray(SK(200, seed=1).J)
    upper = J[np.triu_indices(200, 1)]
    assert np.std(upper) * np.sqrt(200) == pytest.approx(1.0, abs=0.03)


def test_ising2d_bond_loop_and_ground_states():
    L, beta = 3, 0.7
    t = Ising2D(L, beta=beta, h=0.05)
    S = spin_states(L * L)

    def H(s):
        g = s.reshape(L, L)
        e = 0.0
        for r in range(L):
            for c in range(L):
                e -= g[r, c] * g[r, (c + 1) % L] + g[r, c] * g[(r + 1) % L, c]
        return e - 0.05 * s.sum()

    ref = np.array([beta * H(s) for s in S])
    np.testing.assert_allclose(t.energy(jnp.asarray(S)), ref, atol=1e-12)
    e_all_up = float(t.energy(jnp.ones(9)))
    assert e_all_up == pytest.approx(beta * (-2 * 9 - 0.05 * 9))


def test_bernoulli_mixture_normalised_and_ancestral_sampling():
    t = BernoulliMixture.random(6, K=3, seed=2, flip=0.15)
    enum = t.enumerate()
    assert float(enum.log_Z) == pytest.approx(0.0, abs=1e-12)
    x = t.sample(jax.random.key(0), 40000)
    assert x.shape == (40000, 6)
    assert 0.5 * np.abs(histogram(np.asarray(x)) - np.exp(enum.log_p)).sum() < 0.05


def test_custom_target_matches_its_function():
    def e(s):
        return 0.3 * jnp.sum(s[:-1] * s[1:]) + 0.1 * s[0]

    t = CustomTarget(e, 5, name="chain")
    S = spin_states(5)
    ref = [0.3 * np.sum(s[:-1] * s[1:]) + 0.1 * s[0] for s in S]
    np.testing.assert_allclose(t.energy(jnp.asarray(S)), ref, atol=1e-12)
    assert t.energy(jnp.ones((2, 3, 5))).shape == (2, 3)


def test_bad_inputs_say_what_to_do():
    with pytest.raises(ShapeError, match="scalar"):
        CustomTarget(lambda s: s, 4)
    with pytest.raises(ShapeError, match="symmetric"):
        SK.from_couplings(np.arange(9.0).reshape(3, 3))
    with pytest.raises(OptionError, match="inside"):
        BernoulliMixture(np.array([[0.0, 0.5]]))
    with pytest.raises(EnumerationTooLarge, match="GiB"):
        SK(40).enumerate()
    with pytest.raises(OptionError):
        CurieWeiss(0)
