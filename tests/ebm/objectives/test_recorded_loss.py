"""``history.loss`` records the ratio-divergence objective itself (not the surrogate that
is differentiated, which adds a score-function term): checked against the double sum
``1/2 E_{x~data, x'~q}[(d(x) - d(x'))**2]`` over every model state, written here."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from bayesfit.ebm import RBM, SK, Exact, LogRatioVariance, RatioDivergence, fit

from ..brute import rbm_log_q_table, spin_states


@pytest.mark.parametrize("objective", [RatioDivergence(), LogRatioVariance("data")])
def test_recorded_loss_is_the_objective(objective):
    n = 4
    target = SK(n, beta=1.5, seed=2)
    data = np.asarray(target.sample(jax.random.key(5), 40))
    rbm = RBM(n, 2)
    res = fit(rbm, target, data, objective, key=jax.random.key(0), seeds=1, sampler=Exact(),
              steps=1)
    # the initial parameters of seed 0 (the first step records the loss before its update)
    p = rbm.init(jax.random.split(jax.random.split(jax.random.key(0), 1)[0], 3)[0])
    states = spin_states(n)
    log_qt, log_z = rbm_log_q_table(np.asarray(p.a), np.asarray(p.b), np.asarray(p.W))
    q = np.exp(log_qt - log_z)
    log_p = np.asarray(target.log_unnormalised(jnp.asarray(states)))
    d = log_qt - log_p
    index = {tuple(s): i for i, s in enumerate(states)}
    d_data = np.array([d[index[tuple(x)]] for x in data])
    if isinstance(objective, RatioDivergence):
        want = 0.5 * np.mean([np.sum(q * (di - d) ** 2) for di in d_data])
    else:
        want = np.var(d_data)
    assert float(res.history.loss[0, 0]) == pytest.approx(want, rel=1e-9)
    if isinstance(objective, RatioDivergence):  # the surrogate's value is something else
        assert abs(float(res.history.surrogate[0, 0]) - want) > 1e-6 * want
    else:
        assert float(res.history.surrogate[0, 0]) == pytest.approx(want, rel=1e-12)
