"""Samplers reproduce exact distributions (enumeration) within Monte Carlo error."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from bayesfit.ebm import PCD, RBM, SK, Exact, Metropolis, OptionError, ParallelTempering
from bayesfit.ebm.samplers import gibbs, pt_init, pt_step

from ..brute import histogram, tv


def test_block_gibbs_leaves_rbm_distribution_invariant():
    rbm = RBM(4, 3)
    p = rbm.init(jax.random.key(0), scale=0.8)
    q = np.exp(np.asarray(rbm.enumerate(p)))
    x0 = jax.random.rademacher(jax.random.key(1), (30000, 4), dtype=jnp.float64)
    x = jax.jit(gibbs, static_argnums=(1, 4))(jax.random.key(2), rbm, p, x0, 30)
    assert tv(histogram(np.asarray(x)), q) < 0.02


def test_pcd_step_shapes_and_weights():
    rbm = RBM(6, 4)
    p = rbm.init(jax.random.key(0))
    data_x = jnp.ones((10, 6))
    from bayesfit.ebm import Samples

    pcd = PCD(chains=32, k=2, init="data")
    st = pcd.init_state(jax.random.key(1), rbm, Samples.uniform(data_x))
    np.testing.assert_array_equal(st.x, 1.0)
    st, s = pcd.step(jax.random.key(2), rbm, p, st)
    assert s.x.shape == (32, 6) and float(s.w.sum()) == pytest.approx(1.0)
    with pytest.raises(OptionError):
        PCD(init="zeros")


@pytest.fixture(scope="module")
def sk6():
    t = SK(6, beta=1.5, seed=1)
    return t, np.exp(np.asarray(t.enumerate().log_p))


def test_exact_sampler(sk6):
    t, p = sk6
    x = t.sample(jax.random.key(0), 20000, Exact())
    assert tv(histogram(np.asarray(x)), p) < 0.03


def test_metropolis(sk6):
    t, p = sk6
    x = t.sample(jax.random.key(1), 20000, Metropolis(chains=200, burn_in=100, thin=2))
    assert tv(histogram(np.asarray(x)), p) < 0.04


def test_parallel_tempering(sk6):
    t, p = sk6
    pt = ParallelTempering(replicas=6, t_min=0.3, chains=100, burn_in=100, thin=2)
    x = t.sample(jax.random.key(2), 20000, pt)
    assert tv(histogram(np.asarray(x)), p) < 0.04
    st = pt_init(t, jax.random.rademacher(jax.random.key(3), (6, 50, 6), dtype=jnp.float64),
                 pt.ladder())
    step = jax.jit(pt_step)
    for i in range(20):
        st = step(jax.random.key(10 + i), t, st)
    assert np.all(np.asarray(st.swaps) > 0)  # neighbouring replicas do exchange
    np.testing.assert_allclose(st.energy, t.energy(st.x), atol=1e-12)
