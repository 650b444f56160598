"""RBM free energy, conditionals and exact log Z against double sums over (s, h)."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from bayesfit.ebm import RBM, EnumerationTooLarge, OptionError, RBMParams, ShapeError

from .brute import bit_states, rbm_joint_energy, rbm_log_q_table, spin_states


@pytest.fixture
def small():
    rbm = RBM(5, 3)
    k1, k2, k3 = jax.random.split(jax.random.key(4), 3)
    p = RBMParams(a=0.4 * jax.random.normal(k1, (5,)), b=0.4 * jax.random.normal(k2, (3,)),
                  W=0.6 * jax.random.normal(k3, (3, 5)))
    return rbm, p


def test_free_energy_and_log_Z_against_double_sum(small):
    rbm, p = small
    log_qt, log_Z = rbm_log_q_table(*map(np.asarray, p))
    S = jnp.asarray(spin_states(5))
    np.testing.assert_allclose(-rbm.free_energy(p, S), log_qt, atol=1e-12)
    for method in ("visible", "hidden", "auto"):
        assert float(rbm.log_Z(p, method)) == pytest.approx(log_Z, abs=1e-10)
    np.testing.assert_allclose(rbm.enumerate(p), log_qt - log_Z, atol=1e-10)


def test_conditionals_from_joint(small):
    rbm, p = small
    a, b, W = map(np.asarray, p)
    s = spin_states(5)[13]
    H = bit_states(3)
    w = np.array([np.exp(-rbm_joint_energy(a, b, W, s, h)) for h in H])
    w /= w.sum()
    p_h1 = np.array([w[H[:, j] == 1].sum() for j in range(3)])
    np.testing.assert_allclose(rbm.hidden_prob(p, jnp.asarray(s)), p_h1, atol=1e-12)
    h = np.array([1.0, 0.0, 1.0])
    S = spin_states(5)
    ws = np.array([np.exp(-rbm_joint_energy(a, b, W, t, h)) for t in S])
    ws /= ws.sum()
    p_up = np.array([ws[S[:, i] > 0].sum() for i in range(5)])
    np.testing.assert_allclose(rbm.visible_prob(p, jnp.asarray(h)), p_up, atol=1e-12)


def test_hidden_enumeration_for_many_visible_units():
    rbm = RBM(40, 6)
    p = rbm.init(jax.random.key(0), scale=0.3)
    # log Z via the hidden layer, versus the closed form for W = 0 plus a perturbation
    # check: with W = 0 the RBM factorises, log Z = m log 2 + sum log 2cosh(a)
    p0 = p._replace(W=jnp.zeros_like(p.W), a=jnp.linspace(-1, 1, 40), b=jnp.zeros(6))
    want = 6 * np.log(2) + np.sum(np.log(2 * np.cosh(np.linspace(-1, 1, 40))))
    assert float(rbm.log_Z(p0)) == pytest.approx(want, abs=1e-10)
    with pytest.raises(EnumerationTooLarge, match="ais_log_Z|AIS"):
        rbm.log_Z(p, "visible")


def test_bad_parameters_and_options():
    with pytest.raises(OptionError):
        RBM(0, 3)
    rbm = RBM(4, 2)
    with pytest.raises(ShapeError, match="RBM.init"):
        rbm.check_params(RBMParams(jnp.zeros(4), jnp.zeros(2), jnp.zeros((4, 2))))
    with pytest.raises(OptionError, match="visible"):
        rbm.log_Z(rbm.init(jax.random.key(0)), "both")
