"""The pieces of REMC against brute force: moves (stationary moments), swap ratio, DEO,
round trips, ladder adaptation, the Hermite quadrature."""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from bayesfit.inference.remc import _evidence, _ladder, _moves, _swap
from bayesfit.inference.remc._reference import Gaussian

REF = Gaussian.standard(1)


def _theta(w):
    """Weights on the features (log q, log prior, l): the power posterior prior * L**w."""
    return jnp.concatenate([jnp.zeros(1), jnp.ones(1), jnp.atleast_1d(w)])


# a 1-D target: prior N(0, 1) times likelihood exp(-(z - 3)^2 / 2) to the power w
def _log_prior(z):
    return -0.5 * jnp.sum(z * z)


def _loglik(z):
    return jnp.array([-0.5 * jnp.sum((z - 3.0) ** 2)])


@pytest.mark.parametrize("move", ["rwm", "hmc"])
def test_move_samples_tempered_gaussian(move):
    w = _theta(0.5)  # target N(mean 1, var 1/1.5)
    if move == "rwm":
        kernel = _moves.build_rwm(_log_prior, _loglik)
        eps = 2.0
    else:
        kernel = _moves.build_hmc(_log_prior, _loglik, leapfrog_steps=3)
        eps = 0.6
    scale = jnp.eye(1)

    def body(state, key):
        state, acc = kernel(key, state, w, eps, scale, REF)
        return state, (state.z[0], acc)

    state = _moves.init(jnp.zeros(1), _log_prior, _loglik, REF)
    n = 40_000
    _, (zs, acc) = jax.jit(lambda s: jax.lax.scan(body, s, jax.random.split(
        jax.random.PRNGKey(3), n)))(state)
    zs = np.asarray(zs)[1000:]
    # crude batch-means error of the mean (50 batches)
    se = np.std(zs.reshape(50, -1).mean(1), ddof=1) / np.sqrt(50)
    assert abs(zs.mean() - 1.0) < 4 * se + 1e-3
    assert abs(zs.var() - 1 / 1.5) < 0.03
    assert 0.05 < float(np.mean(acc)) < 0.99


@pytest.mark.parametrize("move", ["rwm", "hmc"])
def test_dense_mass_samples_correlated_gaussian(move):
    """With a dense factor S (inverse mass S S^T) the moves still leave the target
    invariant: mean and covariance of a correlated 2-D Gaussian, rho = 0.95."""
    cov = np.array([[1.0, 0.95], [0.95, 1.0]])
    prec = jnp.asarray(np.linalg.inv(cov))

    def log_prior(z):
        return -0.5 * z @ prec @ z

    def loglik(z):
        return jnp.zeros(1)

    chol = jnp.asarray(np.linalg.cholesky(cov))
    if move == "rwm":
        kernel, eps = _moves.build_rwm(log_prior, loglik), 1.7
    else:
        kernel, eps = _moves.build_hmc(log_prior, loglik, leapfrog_steps=3), 0.8
    w = _theta(1.0)
    ref = Gaussian.standard(2)

    def body(state, key):
        state, acc = kernel(key, state, w, eps, chol, ref)
        return state, (state.z, acc)

    state = _moves.init(jnp.zeros(2), log_prior, loglik, ref)
    _, (zs, acc) = jax.jit(lambda s: jax.lax.scan(body, s, jax.random.split(
        jax.random.PRNGKey(5), 40_000)))(state)
    zs = np.asarray(zs)[1000:]
    np.testing.assert_allclose(zs.mean(0), 0.0, atol=0.05)
    np.testing.assert_allclose(np.cov(zs.T), cov, atol=0.05)
    assert 0.2 < float(np.mean(acc)) < 0.99


def test_swap_ratio_matches_brute_force():
    """Features (log q, log prior, l_1..l_3) with weights varying on every one of them (as on
    the path q**(1-t) pi**t)."""
    rng = np.random.default_rng(0)
    K, P = 6, 5
    weights = np.sort(rng.uniform(0, 2, size=(K, P)), axis=0)
    ll = rng.normal(scale=5.0, size=(K, P))

    def log_target(k, i):  # target k at state i
        return weights[k] @ ll[i]

    brute = [log_target(k, k + 1) + log_target(k + 1, k) - log_target(k, k)
             - log_target(k + 1, k + 1) for k in range(K - 1)]
    got = np.asarray(_swap.log_swap_ratio(jnp.asarray(weights), jnp.asarray(ll)))
    np.testing.assert_allclose(got, brute, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(np.asarray(_swap.swap_probability(jnp.asarray(got))),
                               np.minimum(1.0, np.exp(brute)))


def test_deo_swaps_only_pairs_of_its_parity():
    K = 7
    for parity in (0, 1):
        perm, accepted = _swap.deo_permutation(jax.random.PRNGKey(0), jnp.full(K - 1, jnp.inf),
                                               parity)
        perm, accepted = np.asarray(perm), np.asarray(accepted)
        assert sorted(perm.tolist()) == list(range(K))
        expected = list(range(K))
        for k in range(parity, K - 1, 2):
            expected[k], expected[k + 1] = k + 1, k
        assert perm.tolist() == expected
        assert accepted.tolist() == [(k % 2) == parity for k in range(K - 1)]
    perm, accepted = _swap.deo_permutation(jax.random.PRNGKey(0), jnp.full(K - 1, -jnp.inf), 0)
    assert np.asarray(perm).tolist() == list(range(K)) and not np.any(accepted)


def test_round_trips_match_a_direct_count():
    rng = np.random.default_rng(1)
    K, T = 4, 400
    rt = _swap.init_round_trips(K)
    machine = list(range(K))
    last_end = {m: None for m in range(K)}  # "bottom" / "top" after leaving the bottom
    trips = 0
    deo, update = jax.jit(_swap.deo_permutation), jax.jit(_swap.update_round_trips)
    for t in range(T):
        lr = jnp.asarray(rng.normal(size=K - 1) * 2)
        perm, _ = deo(jax.random.PRNGKey(t), lr, t % 2)
        rt = update(rt, perm)
        machine = [machine[i] for i in np.asarray(perm)]
        bottom, top = machine[0], machine[-1]
        if last_end[bottom] == "top":
            trips += 1
        last_end[bottom] = "bottom"
        if last_end[top] == "bottom":
            last_end[top] = "top"
    assert np.asarray(rt.machine).tolist() == machine
    assert int(rt.trips) == trips > 0


def test_round_trips_with_two_references_match_a_direct_count():
    """Stabilized layout: references at both ends, the posterior in the middle; a trip is
    reference -> posterior -> either reference."""
    rng = np.random.default_rng(2)
    K, T, target = 7, 600, 3
    rt = _swap.init_round_trips(K)
    machine = list(range(K))
    state = {m: None for m in range(K)}  # None, "left" (a reference), "top" (posterior)
    trips = 0
    deo = jax.jit(_swap.deo_permutation)
    update = jax.jit(lambda rt, p: _swap.update_round_trips(rt, p, target, True, True))
    for t in range(T):
        perm, _ = deo(jax.random.PRNGKey(t), jnp.asarray(rng.normal(size=K - 1) * 2), t % 2)
        rt = update(rt, perm)
        machine = [machine[i] for i in np.asarray(perm)]
        for end in (machine[0], machine[-1]):
            if state[end] == "top":
                trips += 1
            state[end] = "left"
        if state[machine[target]] == "left":
            state[machine[target]] = "top"
    assert int(rt.trips) == trips > 0


def test_ladder_adaptation_equalises_the_barrier():
    # barrier density 2b (Lambda(b) = b^2): equal shares at b_k = sqrt(k / (K-1))
    K = 9
    b = np.asarray(_ladder.initial_ladder(K, power=1.0))
    for _ in range(6):
        rej = np.diff(b**2)
        b = np.asarray(_ladder.adapt_ladder(jnp.asarray(b), jnp.asarray(rej)))
    assert b[0] == 0.0 and b[-1] == 1.0 and np.all(np.diff(b) > 0)
    np.testing.assert_allclose(np.diff(b**2), 1 / (K - 1), rtol=0.05)


def test_stabilized_ladder_adapts_each_leg_and_keeps_the_target():
    """Two legs (power: slots 0..4, reference: slots 4..8 with t falling to 0): each is
    equalised on its own barrier (density 2b on the power leg, uniform on the other)."""
    from bayesfit.inference.remc._sampler import Layout, new_ladder

    lay = Layout(5, 5)
    b = jnp.asarray(np.concatenate([np.linspace(0, 1, 5), np.linspace(1, 0, 5)[1:]]))
    for _ in range(6):
        rej = np.zeros(lay.size - 1)
        rej[:4] = np.diff(np.asarray(b[:5]) ** 2)
        rej[4:] = 0.3 * -np.diff(np.asarray(b[4:]))
        b = new_ladder(lay, b, jnp.asarray(rej))
    b = np.asarray(b)
    assert b[4] == 1.0 and b[0] == 0.0 and b[-1] == 0.0
    np.testing.assert_allclose(np.diff(b[:5] ** 2), 0.25, rtol=0.05)
    np.testing.assert_allclose(b[4:], np.linspace(1, 0, 5), atol=1e-6)


def test_hermite_quadrature_is_exact_for_cubics():
    coef = np.array([0.3, -1.2, 2.0, 0.7])  # m(b) = sum c_i b^i, m' = v
    m = lambda b: sum(c * b**i for i, c in enumerate(coef))  # noqa: E731
    dm = lambda b: sum(i * c * b ** (i - 1) for i, c in enumerate(coef) if i)  # noqa: E731
    M = lambda b: sum(c * b ** (i + 1) / (i + 1) for i, c in enumerate(coef))  # noqa: E731
    b = np.array([[0.0, 0.1, 0.35, 1.0]])
    got = _evidence.ti_linear(b, m(b), dm(b))  # [b_1, 1] in b
    np.testing.assert_allclose(got, M(1.0) - M(0.1), rtol=1e-12)
    # partial intervals
    t = np.array([0.0, 0.3, 1.0])
    part = _evidence.hermite_integral(0.1, 0.35, m(0.1), m(0.35), dm(0.1), dm(0.35), t)
    np.testing.assert_allclose(part, M(0.1 + 0.25 * t) - M(0.1), rtol=1e-12, atol=1e-15)


def test_cumulative_integral_matches_the_estimator():
    rng = np.random.default_rng(0)
    betas = np.array([0.0, 0.01, 0.1, 0.4, 1.0])
    u = rng.normal(-5.0, 2.0, size=(500, 5)) + 3 * np.sqrt(betas)
    est = _evidence.thermodynamic_integration(betas[None], u[None])
    cum = _evidence.cumulative_ti(betas, u, np.array([0.004, 0.01, 1.0]))
    np.testing.assert_allclose(cum[-1], est.value, rtol=1e-12)
    # below b_1: the cumulant generating function of the draws at b = 0
    for i, b in enumerate((0.004, 0.01)):
        np.testing.assert_allclose(cum[i], np.log(np.mean(np.exp(b * u[:, 0]))), rtol=1e-12)


def test_stepping_stone_on_exact_power_posterior_draws():
    # u ~ N(mu_b, s^2) at every rung means log E_b[exp(h u)] = h mu_b + h^2 s^2 / 2
    rng = np.random.default_rng(2)
    b = np.linspace(0, 1, 11)[None]
    mu, s, n = -3.0, 0.5, 200_000
    u = mu + s * rng.standard_normal((1, n, 11))
    exact = np.sum(np.diff(b[0]) * mu + np.diff(b[0]) ** 2 * s**2 / 2)
    est = _evidence.stepping_stone(b, u)
    assert abs(est.value - exact) < 4 * est.err + 1e-6


def test_blocks_count():
    for R in (1, 2, 4, 8, 16):
        u = np.zeros((R, 100, 3))
        n = _evidence.blocks(u, R).shape[0]
        assert n == R if R >= _evidence.MIN_RUNS else n >= _evidence.MIN_BLOCKS
