"""Tempering from a fitted Gaussian reference (Surjanovic et al. 2022) and the stabilized
two-leg scheme, against exact answers: a mixture of two narrow Gaussians 30 widths apart
under a prior so wide that prior draws have log likelihoods below -1e6 (exact evidence and
mode weights, ``helpers.make_two_modes``), and the conjugate Gaussian with tiny noise
(round-trip rate against ``1 / (2 + 2 sum r / (1 - r))``, Syed et al. 2021)."""

from __future__ import annotations

import warnings

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import bayesfit
from bayesfit.inference.remc import REMC
from bayesfit.inference.remc._driver import loglik_vector
from bayesfit.inference.remc._reference import (
    Gaussian,
    Mixture,
    draw,
    log_density,
    moment_matched,
)
from bayesfit.inference.remc._replicas import replicas_for, trip_rate_bound
from bayesfit.results._checks import recorded_failures

from .helpers import make_linear_gaussian, make_two_modes


@pytest.fixture(scope="module")
def two_modes():
    return make_two_modes()


def _fit(problem, method, **kw):
    opts = dict(chains=2, draws=1500, warmup=500, seed=3, progress=False, predictive=False)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return bayesfit.fit(problem, method, **(opts | kw))


def test_two_modes_target_is_what_it_claims(two_modes):
    m = two_modes
    (pos, neg), w_pos = m.modes, m.widths[0]
    assert abs((pos - neg) / w_pos - 30.0) < 1.0  # 30 widths of the narrow mode apart
    assert abs(m.weight_negative - 0.7) < 0.01
    z = m.problem.sample_prior_z(jax.random.PRNGKey(0), 64)
    ll = jax.vmap(loglik_vector(m.problem))(z)
    assert float(jnp.max(ll)) < -1e6


def test_stabilized_reference_recovers_weights_and_evidence(two_modes):
    m = two_modes
    res = _fit(m.problem, REMC(leapfrog_steps=4))
    assert res.tree.attrs["reference"] == "stabilized"
    lad = res.tree["ladder"]
    assert np.all(lad["round_trips"].values >= 20), lad["round_trips"].values
    w = float(np.mean(res.draws("a0") < 0))
    assert abs(w - m.weight_negative) < 0.05, (w, m.weight_negative)
    ev = res.tree["evidence"]
    # within 3 of its own stated errors (an honest error bar), which must be small
    err = float(ev["log_evidence_err"])
    assert err < 0.2, err
    assert abs(float(ev["log_evidence"]) - m.log_evidence) < 3 * err, (
        float(ev["log_evidence"]), err, m.log_evidence)
    failed = recorded_failures(res.tree.attrs)
    assert not [f for f in failed if "round trip" in f], failed


def test_prior_reference_fails_the_two_modes(two_modes):
    """Today's scheme (16 replicas from the prior): no round trip, and the failure is
    recorded as a failed diagnostic, not only warned about."""
    m = two_modes
    res = _fit(m.problem, REMC(reference="prior", replicas=16, leapfrog_steps=4))
    trips = res.tree["ladder"]["round_trips"].values
    w = float(np.mean(res.draws("a0") < 0))
    ok = (np.all(trips >= 20) and abs(w - m.weight_negative) < 0.05
          and abs(float(res.tree["evidence"]["log_evidence"]) - m.log_evidence) < 0.1)
    assert not ok
    if np.any(trips == 0):
        assert "round trip" in res.tree.attrs["diagnostics_failed"]


def _exact_barrier(mean_q, cov_q, mean, cov, n_t=41, n_draws=20000, seed=0):
    """``Lambda = int_0^1 E|V(x1) - V(x2)| / 2 dt`` of the path ``q**(1-t) pi**t`` between two
    Gaussians, ``V = log pi - log q``, ``x1, x2`` exact draws of the (Gaussian) ``pi_t``
    (Syed et al. 2021, local barrier), Simpson's rule in ``t``."""
    rng = np.random.default_rng(seed)
    pq, p = np.linalg.inv(cov_q), np.linalg.inv(cov)

    def V(x):
        return (-0.5 * np.einsum("ni,ij,nj->n", x - mean, p, x - mean)
                + 0.5 * np.einsum("ni,ij,nj->n", x - mean_q, pq, x - mean_q))

    ts = np.linspace(0.0, 1.0, n_t)
    lam = []
    for t in ts:
        pt = (1 - t) * pq + t * p
        ct = np.linalg.inv(pt)
        mt = ct @ ((1 - t) * pq @ mean_q + t * p @ mean)
        x = rng.multivariate_normal(mt, ct, size=(2, n_draws))
        lam.append(0.5 * np.mean(np.abs(V(x[0]) - V(x[1]))))
    w = np.ones(n_t)
    w[1:-1:2], w[2:-1:2] = 4, 2
    return float(np.sum(w * np.array(lam)) / (3 * (n_t - 1)))


def test_round_trip_rate_matches_the_theory_on_a_sharp_conjugate_model():
    """Tiny noise (posterior ~2e4 times narrower than the prior): with the Gaussian
    reference, the measured barrier of every run agrees with the exact barrier of its path
    (from its fitted q to the exact posterior) and the measured round-trip rate with
    1 / (2 + 2 sum r / (1 - r)) of its ladder, and with 1 / (2 + 2 Lambda), within 20 %."""
    m = make_linear_gaussian(n=50, sigma=0.005)
    draws = 2000
    res = _fit(m.problem, REMC(reference="gaussian", leapfrog_steps=4), chains=4,
               draws=draws, warmup=600)
    lad = res.tree["ladder"]
    mean, cov = m.posterior()
    assert lad.sizes["component"] == 1  # one optimum: q is one Gaussian
    np.testing.assert_allclose(lad["reference_weight"].values, 1.0)
    chol = lad["reference_chol"].values[:, 0]
    exact = np.array([_exact_barrier(lad["reference_mean"].values[r, 0], chol[r] @ chol[r].T,
                                     mean, cov) for r in range(4)])
    measured = lad["barrier"].values
    np.testing.assert_allclose(measured.mean(), exact.mean(), rtol=0.2)
    # the pilot chose about 2 Lambda + 2 slots (its own estimate of Lambda; within one)
    assert abs(lad.sizes["temperature"] - replicas_for(float(np.median(measured)))) <= 1
    rate = lad["round_trips"].values / draws
    bound = np.array([trip_rate_bound(sw) for sw in lad["swap_acceptance"].values])
    np.testing.assert_allclose(rate.mean(), bound.mean(), rtol=0.2)
    np.testing.assert_allclose(rate.mean(), 1 / (2 + 2 * exact.mean()), rtol=0.2)
    # the evidence along the reference leg is right too
    ev = res.tree["evidence"]
    assert abs(float(ev["log_evidence"]) - m.log_evidence()) < 3 * float(
        ev["log_evidence_err"]) + 0.02


def test_gaussian_reference_pieces():
    """log q against scipy, exact draws, moment matching with inflation."""
    from scipy.stats import multivariate_normal

    cov = np.array([[2.0, 0.6], [0.6, 0.5]])
    q = Gaussian(jnp.array([1.0, -1.0]), jnp.asarray(np.linalg.cholesky(cov)))
    z = np.array([0.3, 0.2])
    assert abs(float(log_density(q, jnp.asarray(z)))
               - multivariate_normal([1.0, -1.0], cov).logpdf(z)) < 1e-12
    xs = np.asarray(jax.vmap(lambda k: draw(q, k))(jax.random.split(jax.random.PRNGKey(0),
                                                                     20000)))
    np.testing.assert_allclose(np.cov(xs.T), cov, atol=0.06)
    mean, m2 = xs.mean(0), (xs - xs.mean(0)).T @ (xs - xs.mean(0))
    fit = moment_matched(jnp.asarray(mean), jnp.asarray(m2), 20000, 1.5, Gaussian.standard(2))
    np.testing.assert_allclose(np.asarray(fit.chol @ fit.chol.T), 2.25 * np.cov(xs.T),
                               rtol=1e-6)
    kept = moment_matched(jnp.asarray(mean), jnp.zeros((2, 2)), 2, 1.5, q)  # too few draws
    np.testing.assert_allclose(np.asarray(kept.chol), np.asarray(q.chol))


def test_adaptive_cost_problems_default_to_gaussian_and_loop_over_replicas():
    """A dataset whose model has an adaptive cost (``adaptive_cost``, set by the ODE
    kernel) makes the default reference Gaussian (the stabilized one's prior leg sits
    where such models are expensive), and its replicas move one after another: the same
    chain as vmapped replicas, up to rounding (compared over a short run, before HMC's
    sensitivity amplifies the last bits)."""
    import dataclasses

    from bayesfit.inference.remc import Reference

    m = make_linear_gaussian(n=30, sigma=0.3)
    (ds,) = m.problem.datasets
    looped = bayesfit.Problem(dict(m.problem.free), dataclasses.replace(ds, adaptive_cost=True))
    assert looped.adaptive_cost and not m.problem.adaptive_cost
    assert REMC().resolved_reference(looped) is Reference.GAUSSIAN
    assert REMC().resolved_reference(m.problem) is Reference.STABILIZED
    assert REMC(reference="prior").resolved_reference(looped) is Reference.PRIOR
    method = REMC(reference="gaussian", replicas=4, chunk=8)
    a = _fit(looped, method, chains=1, draws=8, warmup=8)
    assert a.tree.attrs["reference"] == "gaussian"
    b = _fit(m.problem, method, chains=1, draws=8, warmup=8)
    for k in "abc":
        np.testing.assert_allclose(a.draws(k), b.draws(k), rtol=1e-9, atol=1e-12)
    # with the default, the adaptive-cost problem gets the Gaussian reference
    c = _fit(looped, REMC(replicas=4, chunk=8), chains=1, draws=8, warmup=8)
    assert c.tree.attrs["reference"] == "gaussian"


def test_mixture_reference_pieces():
    """A two-component mixture: log q against scipy (log of the weighted sum of the two
    densities), exact draws with the right component shares and moments; one component is
    the Gaussian itself (same density, same draws)."""
    from scipy.stats import multivariate_normal

    from bayesfit.inference.remc._driver import Start
    from bayesfit.inference.remc._start import WEIGHT_FLOOR, pooled_start

    covs = [np.array([[0.5, 0.2], [0.2, 0.3]]), np.array([[0.2, -0.1], [-0.1, 0.4]])]
    means = [np.array([3.0, 0.0]), np.array([-3.0, 1.0])]
    w = np.array([0.7, 0.3])
    q = Mixture(jnp.log(jnp.asarray(w)), jnp.asarray(np.stack(means)),
                jnp.asarray(np.stack([np.linalg.cholesky(c) for c in covs])))
    for z in ([0.3, 0.2], [2.5, -0.4], [-3.2, 1.5]):
        want = np.log(sum(wk * multivariate_normal(m, c).pdf(z)
                          for wk, m, c in zip(w, means, covs, strict=True)))
        assert abs(float(log_density(q, jnp.asarray(z))) - want) < 1e-12
    xs = np.asarray(jax.vmap(lambda k: draw(q, k))(jax.random.split(jax.random.PRNGKey(1),
                                                                     20000)))
    right = xs[:, 0] > 0
    assert abs(right.mean() - 0.7) < 0.01
    np.testing.assert_allclose(np.cov(xs[right].T), covs[0], atol=0.03)
    np.testing.assert_allclose(xs[~right].mean(0), means[1], atol=0.03)
    g = Gaussian(jnp.asarray(means[0]), jnp.asarray(np.linalg.cholesky(covs[0])))
    one = Mixture.of(g)
    key = jax.random.PRNGKey(3)
    np.testing.assert_array_equal(np.asarray(draw(one, key)), np.asarray(draw(g, key)))
    assert float(log_density(one, jnp.ones(2))) == float(log_density(g, jnp.ones(2)))
    # refitted to draws (a pilot's): each component to the draws nearest to it, weights
    # the floored shares of the draws
    start = Start(q.mean[0], q.chol[0], jnp.asarray(True), q)
    rng = np.random.default_rng(0)
    pilot = np.concatenate([rng.multivariate_normal(means[0] + 0.2, covs[0], 3000),
                            rng.multivariate_normal(means[1], 2 * covs[1], 1000)])
    new = pooled_start(pilot[None], start).modes
    np.testing.assert_allclose(np.exp(np.asarray(new.log_w)),
                               (1 - WEIGHT_FLOOR) * np.array([0.75, 0.25]) + WEIGHT_FLOOR / 2,
                               atol=2e-3)
    np.testing.assert_allclose(np.asarray(new.mean[0]), means[0] + 0.2, atol=0.05)
    c1 = np.asarray(new.chol[1] @ new.chol[1].T)
    np.testing.assert_allclose(c1, 2 * covs[1], atol=0.06)
