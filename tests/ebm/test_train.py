"""fit(): shapes, errors, objectives vmapped alongside each other, compile-once."""

from dataclasses import dataclass

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from bayesfit.ebm import (
    PCD,
    RBM,
    SK,
    Exact,
    ForwardKL,
    OptionError,
    RatioDivergence,
    ShapeError,
    fit,
)
from bayesfit.ebm import metrics as M


@pytest.fixture(scope="module")
def problem():
    t = SK(6, beta=1.5, seed=2)
    return t, t.sample(jax.random.key(0), 300), RBM(6, 4)


def test_shapes_and_learning_with_exact_expectations(problem):
    t, data, rbm = problem
    res = fit(rbm, t, data, ForwardKL(), key=jax.random.key(1), seeds=2, sampler=Exact(),
              steps=300, record_every=100,
              monitor=lambda p: M.kl_exact(t.enumerate().log_p, rbm.enumerate(p)).pq)
    assert res.params.W.shape == (2, 4, 6)
    assert res.history.loss.shape == (2, 300) and bool(np.all(res.history.finite))
    kl = np.asarray(res.monitor)
    assert kl.shape == (2, 3) and np.all(kl[:, -1] < kl[:, 0])
    assert np.all(kl[:, -1] < 0.1)


def test_several_objectives_equal_separate_runs(problem):
    t, data, rbm = problem
    kw = dict(key=jax.random.key(3), seeds=2, sampler=PCD(chains=16, k=2), steps=40)
    both = fit(rbm, t, data, [ForwardKL(), RatioDivergence()], **kw)
    assert both.params.W.shape == (2, 2, 4, 6)
    alone = fit(rbm, t, data, RatioDivergence(), **kw)
    np.testing.assert_allclose(both.params.W[1], alone.params.W, rtol=1e-9, atol=1e-12)
    assert not np.allclose(both.params.W[0], alone.params.W)


@dataclass(frozen=True)
class _Counting:
    """An objective that counts how often it is traced."""

    calls: list
    uses_data = True
    uses_model = True

    def __hash__(self):
        return 0

    def loss(self, data, model):
        self.calls.append(1)
        return ForwardKL().loss(data, model)


def test_compiles_once(problem):
    t, data, rbm = problem
    obj = _Counting([])
    for seed in range(3):
        fit(rbm, t, data, obj, key=jax.random.key(seed), steps=30,
            sampler=PCD(chains=8, k=1))
    traced = len(obj.calls)
    assert traced <= 2  # traced inside one compilation, never per step or per call
    # a new target instance of the same class and size reuses the compiled program
    fit(rbm, SK(6, beta=0.5, seed=9), data, obj, key=jax.random.key(0), steps=30,
        sampler=PCD(chains=8, k=1))
    assert len(obj.calls) == traced


@dataclass(frozen=True)
class _Broken:
    uses_data = True
    uses_model = True

    def loss(self, data, model):
        return jnp.sum(data.u) * jnp.nan


def test_non_finite_steps_are_skipped_and_flagged(problem):
    t, data, rbm = problem
    res = fit(rbm, t, data, _Broken(), key=jax.random.key(0), steps=10,
              sampler=PCD(chains=8, k=1))
    assert not np.any(res.history.finite)
    init = rbm.init(jax.random.split(jax.random.split(jax.random.key(0), 1)[0], 3)[0])
    np.testing.assert_array_equal(res.params.W[0], init.W)


def test_bad_input(problem):
    t, data, rbm = problem
    with pytest.raises(ShapeError, match="n_visible=6"):
        fit(RBM(5, 3), t, data, ForwardKL(), key=jax.random.key(0))
    with pytest.raises(ShapeError, match="-1 or \\+1"):
        fit(rbm, t, (np.asarray(data) + 1) / 2, ForwardKL(), key=jax.random.key(0))
    with pytest.raises(OptionError, match="objective object"):
        fit(rbm, t, data, "fkl", key=jax.random.key(0))
    with pytest.raises(OptionError, match="multiple"):
        fit(rbm, t, data, ForwardKL(), key=jax.random.key(0), steps=10, record_every=3)
