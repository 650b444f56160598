"""The correlated-noise likelihood (Dataset(cov=..., jitter=...)) against independent routes:
scipy's multivariate normal, the textbook conjugate posterior and evidence, and every method."""

from functools import cache

import jax
import jax.numpy as jnp
import numpy as np
import numpyro.distributions as dist
import pytest
from numpyro.infer.util import log_density
from scipy import stats

import bayesfit as bf
from bayesfit.errors import BayesfitError


def line(p, x):
    return p["a"] * x + p["b"]


def ar1_cov(n, s, rho):
    i = np.arange(n)
    return s**2 * rho ** np.abs(i[:, None] - i[None, :])


class CorrelatedConjugate:
    """y = a x + b + e, e ~ N(0, C) with C known (AR(1)), Normal priors: Gaussian posterior
    and evidence by the generalised-least-squares formulas, computed with NumPy here."""

    def __init__(self, n=20, s=0.3, rho=0.8, seed=4):
        rng = np.random.default_rng(seed)
        self.x = np.linspace(-1, 2, n)
        self.C = ar1_cov(n, s, rho)
        self.y = 0.7 * self.x - 0.4 + np.linalg.cholesky(self.C) @ rng.standard_normal(n)
        self.m0, self.s0 = np.array([0.5, 0.0]), np.array([2.0, 1.5])
        X = np.stack([self.x, np.ones(n)], axis=1)
        Ci = np.linalg.inv(self.C)
        self.cov = np.linalg.inv(X.T @ Ci @ X + np.diag(1 / self.s0**2))
        self.mean = self.cov @ (X.T @ Ci @ self.y + self.m0 / self.s0**2)
        self.log_evidence = stats.multivariate_normal(
            X @ self.m0, self.C + X @ np.diag(self.s0**2) @ X.T).logpdf(self.y)

    def problem(self):
        ds = bf.Dataset(self.x, self.y, cov=self.C, model=line, name="line")
        return bf.Problem({"a": dist.Normal(self.m0[0], self.s0[0]),
                           "b": dist.Normal(self.m0[1], self.s0[1])}, [ds])


@cache
def conj():
    return CorrelatedConjugate()


def test_log_likelihood_matches_scipy_with_and_without_jitter():
    c = conj()
    p = {"a": 0.3, "b": -0.1}
    mu = line(p, c.x)
    ll = c.problem().log_likelihood(p)
    assert float(ll) == pytest.approx(stats.multivariate_normal(mu, c.C).logpdf(c.y), rel=1e-12)
    ds = bf.Dataset(c.x, c.y, cov=c.C, jitter=True, model=line, name="line")
    prob = bf.Problem({"a": dist.Normal(), "b": dist.Normal()}, ds)
    assert "jitter_line" in prob.free
    q = p | {"jitter_line": 0.2}
    want = stats.multivariate_normal(mu, c.C + 0.04 * np.eye(len(c.x))).logpdf(c.y)
    assert float(prob.log_likelihood(q)) == pytest.approx(want, rel=1e-12)
    # the total (eigenvectors of cov, a new jitter an O(n^2) update) is the sum of the
    # chain-rule terms (a Cholesky factor of cov + jitter^2 I), and its gradient is the
    # central finite difference of scipy's density
    terms = prob.pointwise_log_likelihood(q)["line"]
    assert float(jnp.sum(terms)) == pytest.approx(want, rel=1e-12)
    grad = jax.grad(lambda v: prob.log_likelihood(dict(zip(q, v, strict=True))))(
        jnp.asarray(list(q.values())))
    h = 1e-5
    for i in range(3):
        up, dn = np.array(list(q.values())), np.array(list(q.values()))
        up[i] += h
        dn[i] -= h
        fd = [stats.multivariate_normal(line({"a": v[0], "b": v[1]}, c.x),
                                        c.C + v[2] ** 2 * np.eye(len(c.x))).logpdf(c.y)
              for v in (up, dn)]
        assert float(grad[i]) == pytest.approx((fd[0] - fd[1]) / (2 * h), rel=1e-6)
    # the NumPyro model gives the same density
    lp, _ = log_density(prob.numpyro_model, (), {}, q)
    assert float(lp) == pytest.approx(float(prob.log_posterior(q)), rel=1e-10)


def test_loo_terms_are_the_leave_one_out_conditionals():
    c = conj()
    p = {"a": 0.3, "b": -0.1}
    mu = line(p, c.x)
    got = np.asarray(c.problem().loo_pointwise_log_likelihood(p)["line"])
    for i in range(len(c.y)):
        o = np.delete(np.arange(len(c.y)), i)
        k = np.linalg.solve(c.C[np.ix_(o, o)], c.C[o, i])
        m = mu[i] + k @ (c.y[o] - mu[o])
        v = c.C[i, i] - c.C[i, o] @ k
        assert got[i] == pytest.approx(stats.norm(m, np.sqrt(v)).logpdf(c.y[i]), rel=1e-9)


def test_predictive_noise_has_the_covariance():
    c = conj()
    prob = c.problem()
    ds = prob.datasets[0]
    keys = jax.random.split(jax.random.PRNGKey(0), 40000)
    e = jax.vmap(lambda k: prob.noise_draw(ds, {}, k))(keys)
    emp = np.cov(np.asarray(e), rowvar=False)
    assert np.max(np.abs(emp - c.C)) < 0.05 * c.C[0, 0]


def _moments_ok(r, c, z=4.5):
    summ = r.summary()
    for i, name in enumerate("ab"):
        d = r.draws(name)
        mcse = np.sqrt(c.cov[i, i] / float(summ.loc[name, "ess_bulk"]))
        assert abs(d.mean() - c.mean[i]) < z * mcse + 1e-9, (name, d.mean(), c.mean[i])
        assert d.std() == pytest.approx(np.sqrt(c.cov[i, i]), rel=0.15)


def test_map_nuts_emcee_match_the_exact_posterior():
    c = conj()
    m = bf.fit(c.problem(), bf.MAP(), draws=4000, seed=1, progress=False)
    assert float(m.tree["map"]["a"]) == pytest.approx(c.mean[0], abs=1e-5)
    assert float(m.tree["map"]["b"]) == pytest.approx(c.mean[1], abs=1e-5)
    _moments_ok(bf.fit(c.problem(), "nuts", chains=2, draws=600, warmup=300, seed=2,
                       progress=False), c)
    _moments_ok(bf.fit(c.problem(), "emcee", chains=2, draws=600, warmup=300, seed=3,
                       progress=False), c)


def test_remc_evidence_matches_the_exact_evidence():
    c = conj()
    # the claim is about the likelihood, not the ladder: a Gaussian reference (the
    # posterior is Gaussian, the barrier small) on a fixed ladder, without a pilot stage
    r = bf.fit(c.problem(), bf.REMC(reference="gaussian", replicas=4), chains=4, draws=600,
               warmup=300, seed=5, progress=False)
    _moments_ok(r, c)
    assert abs(r.log_evidence - c.log_evidence) < 4 * r.log_evidence_err + 0.1


def test_bad_covariances_are_named():
    c = conj()
    with pytest.raises(BayesfitError, match="shape"):
        bf.Dataset(c.x, c.y, cov=c.C[:3, :3], model=line)
    with pytest.raises(BayesfitError, match="positive definite"):
        bf.Dataset(c.x, c.y, cov=-c.C, model=line)
    with pytest.raises(BayesfitError, match="not symmetric"):
        bad = c.C.copy()
        bad[0, 1] += 1
        bf.Dataset(c.x, c.y, cov=bad, model=line)
    with pytest.raises(BayesfitError, match="either sigma or cov"):
        bf.Dataset(c.x, c.y, cov=c.C, sigma=0.1, model=line)
    with pytest.raises(BayesfitError, match="jitter"):
        bf.Dataset(c.x, c.y, jitter=True, model=line)


def test_loglik_is_traced_once_per_problem():
    prob = conj().problem()
    f = jax.jit(prob.log_density_z)
    z = jnp.zeros(prob.dim)
    f(z)
    f(z + 1.0)
    assert f._cache_size() == 1
