"""Each objective's surrogate gradient equals the finite-difference gradient of the exact
objective, computed by brute force (NumPy double sums over visible and hidden states)."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from bayesfit.ebm import (
    RBM,
    SK,
    ForwardKL,
    Jeffreys,
    LogRatioVariance,
    PairwiseLogRatio,
    RatioDivergence,
    RBMParams,
    ReverseKL,
)
from bayesfit.ebm.objectives import Terms

from ..brute import rbm_log_q_table, sk_energy, spin_states

N_VIS, N_HID, EPS = 4, 3, 1e-5


@pytest.fixture(scope="module")
def setup():
    t = SK(N_VIS, beta=1.2, seed=5)
    S = spin_states(N_VIS)
    log_pt = np.array([-sk_energy(np.asarray(t.J), 1.2, s) for s in S])
    log_p = log_pt - np.log(np.exp(log_pt).sum())
    rng = np.random.default_rng(0)
    data_idx = rng.choice(len(S), size=30, p=np.exp(log_p))
    k1, k2, k3 = jax.random.split(jax.random.key(9), 3)
    theta0 = RBMParams(a=0.3 * jax.random.normal(k1, (N_VIS,)),
                       b=0.3 * jax.random.normal(k2, (N_HID,)),
                       W=0.5 * jax.random.normal(k3, (N_HID, N_VIS)))
    return dict(S=S, log_pt=log_pt, log_p=log_p, data_idx=data_idx, theta0=theta0)


def _flat(theta):
    return np.concatenate([np.asarray(x).ravel() for x in theta])


def _unflat(v):
    a, b = v[:N_VIS], v[N_VIS:N_VIS + N_HID]
    return a, b, v[N_VIS + N_HID:].reshape(N_HID, N_VIS)


def _exact_objective(name, setup, q0):
    """The true objective as a function of the flat parameter vector (NumPy)."""
    S, log_pt, log_p, idx = setup["S"], setup["log_pt"], setup["log_p"], setup["data_idx"]
    hist = np.bincount(idx, minlength=len(S)) / len(idx)

    def var(w, f):
        m = np.sum(w * f)
        return np.sum(w * (f - m) ** 2)

    def f(v):
        log_qt, log_Z = rbm_log_q_table(*_unflat(v))
        log_q = log_qt - log_Z
        q = np.exp(log_q)
        d = log_qt - log_pt
        fwd = -np.mean(log_q[idx])
        rev = np.sum(q * (log_q - log_p))
        if name == "fwd":
            return fwd
        if name == "rev":
            return rev
        if name == "sum":
            return fwd + rev
        if name == "lrv_data":
            return var(hist, d)
        if name == "lrv_model":
            return var(q0, d)  # reference frozen at theta0
        if name == "lrv_mixture":
            return var(0.5 * hist + 0.5 * q0, d)
        if name == "pairwise":
            return 0.5 * np.mean([np.sum(q * (d[i] - d) ** 2) for i in idx])
        raise KeyError(name)

    return f


def _surrogate_grad(obj, setup, theta):
    rbm = RBM(N_VIS, N_HID)
    S = jnp.asarray(setup["S"])
    x_d = S[setup["data_idx"]]
    lp_d = jnp.asarray(setup["log_pt"][setup["data_idx"]])
    w_d = jnp.full(len(setup["data_idx"]), 1.0 / len(setup["data_idx"]))

    def loss(theta):
        u_all = rbm.log_unnormalised(theta, S)
        data = Terms(rbm.log_unnormalised(theta, x_d), lp_d, w_d)
        model = Terms(u_all, jnp.asarray(setup["log_pt"]), jax.nn.softmax(u_all))
        return obj.loss(data, model)

    return _flat(jax.grad(loss)(theta))


CASES = [("fwd", ForwardKL()), ("rev", ReverseKL()), ("sum", Jeffreys()),
         ("lrv_data", LogRatioVariance("data")), ("lrv_model", LogRatioVariance("model")),
         ("lrv_mixture", LogRatioVariance("mixture", mix=0.5)),
         ("pairwise", PairwiseLogRatio())]


@pytest.mark.parametrize("name,obj", CASES, ids=[c[0] for c in CASES])
def test_gradient_matches_finite_differences(setup, name, obj):
    theta0 = setup["theta0"]
    v0 = _flat(theta0)
    log_qt0, log_Z0 = rbm_log_q_table(*_unflat(v0))
    f = _exact_objective(name, setup, np.exp(log_qt0 - log_Z0))
    fd = np.array([(f(v0 + EPS * e) - f(v0 - EPS * e)) / (2 * EPS) for e in np.eye(v0.size)])
    g = _surrogate_grad(obj, setup, theta0)
    np.testing.assert_allclose(g, fd, rtol=1e-6, atol=1e-8)


def test_model_reference_is_twice_reverse_kl(setup):
    g_lrv = _surrogate_grad(LogRatioVariance("model"), setup, setup["theta0"])
    g_rev = _surrogate_grad(ReverseKL(), setup, setup["theta0"])
    np.testing.assert_allclose(g_lrv, 2 * g_rev, rtol=1e-12, atol=1e-14)


def test_ratio_divergence_is_the_pairwise_member():
    assert RatioDivergence is PairwiseLogRatio


def test_sampled_estimators_approach_exact(setup):
    """With many iid model samples the sampled gradients agree with the exact ones."""
    rbm = RBM(N_VIS, N_HID)
    theta = setup["theta0"]
    S = jnp.asarray(setup["S"])
    log_q = rbm.enumerate(theta)
    xq = S[jax.random.categorical(jax.random.key(0), log_q, shape=(200_000,))]
    x_d = S[setup["data_idx"]]
    lp_d = jnp.asarray(setup["log_pt"][setup["data_idx"]])
    w_d = jnp.full(x_d.shape[0], 1.0 / x_d.shape[0])
    sk = SK(N_VIS, beta=1.2, seed=5)
    for obj in (ReverseKL(), PairwiseLogRatio(), LogRatioVariance("mixture")):
        def loss(th, obj=obj):
            data = Terms(rbm.log_unnormalised(th, x_d), lp_d, w_d)
            model = Terms(rbm.log_unnormalised(th, xq), sk.log_unnormalised(xq),
                          jnp.full(xq.shape[0], 1.0 / xq.shape[0]))
            return obj.loss(data, model)

        g = _flat(jax.grad(loss)(theta))
        exact = _surrogate_grad(obj, setup, theta)
        assert np.linalg.norm(g - exact) < 0.03 * np.linalg.norm(exact) + 1e-3
