"""GP pieces against SciPy/NumPy Gaussian formulas; FSS likelihood gradient vs finite differences."""

import jax
import jax.numpy as jnp
import numpy as np
from scipy.stats import multivariate_normal

import bayesfit  # noqa: F401
from bayesfit.criticality import FSSModel, synthetic_fss
from bayesfit.criticality._fss import log_likelihood
from bayesfit.criticality._gp import block_conditional_logpdf, log_marginal


def _cov(x, nv, amp, ell):
    d = x[:, None] - x[None, :]
    return amp**2 * np.exp(-0.5 * d**2 / ell**2) + np.diag(nv)


def test_log_marginal_matches_scipy():
    rng = np.random.default_rng(0)
    x = np.sort(rng.uniform(-2, 2, 15))
    y = rng.normal(size=15)
    nv = rng.uniform(0.01, 0.1, 15)
    got = log_marginal(jnp.asarray(x), jnp.asarray(y), jnp.asarray(nv), 1.3, 0.7, 0.2)
    want = multivariate_normal(0.2 * np.ones(15), _cov(x, nv, 1.3, 0.7)).logpdf(y)
    assert abs(float(got) - want) < 1e-6


def test_block_conditionals_match_partitioned_gaussian():
    rng = np.random.default_rng(1)
    x = rng.uniform(-2, 2, 12)
    y = rng.normal(size=12)
    nv = rng.uniform(0.01, 0.1, 12)
    blocks = [np.arange(0, 4), np.arange(4, 9), np.arange(9, 12)]
    got = np.asarray(block_conditional_logpdf(jnp.asarray(x), jnp.asarray(y), jnp.asarray(nv),
                                              0.9, 0.5, 0.1, blocks))
    cov = _cov(x, nv, 0.9, 0.5)
    r = y - 0.1
    for g, b in enumerate(blocks):
        o = np.setdiff1d(np.arange(12), b)
        k_oo_inv = np.linalg.inv(cov[np.ix_(o, o)])
        mu = cov[np.ix_(b, o)] @ k_oo_inv @ r[o]
        s = cov[np.ix_(b, b)] - cov[np.ix_(b, o)] @ k_oo_inv @ cov[np.ix_(o, b)]
        want = multivariate_normal(mu, s).logpdf(r[b])
        assert abs(got[g] - want) < 1e-6


def test_fss_likelihood_gradient_matches_finite_differences():
    table = synthetic_fss(sizes=(8, 16), temperatures=np.linspace(0.8, 1.2, 6), seed=2)
    model = FSSModel()
    theta = {"tc": 1.01, "c1": 0.9, "c2": 0.45, "log_amp": 0.1, "log_length": -1.0}
    f = jax.jit(lambda th: log_likelihood(th, table, model))
    g = jax.grad(f)({k: jnp.asarray(v) for k, v in theta.items()})
    for k in theta:
        h = 1e-6
        up = dict(theta, **{k: theta[k] + h})
        dn = dict(theta, **{k: theta[k] - h})
        fd = (float(f(up)) - float(f(dn))) / (2 * h)
        assert abs(float(g[k]) - fd) < 1e-4 * max(1.0, abs(fd)), (k, float(g[k]), fd)


def test_collapse_and_plots_from_given_draws():
    import matplotlib

    matplotlib.use("Agg")
    from bayesfit.criticality import FSSResult, SamplerOptions, plot_collapse, plot_raw

    table = synthetic_fss(sizes=(8, 16), temperatures=np.linspace(0.8, 1.2, 6), seed=2)
    draws = {k: np.full((1, 3), v) for k, v in
             {"tc": 1.0, "c1": 1.0, "c2": 0.5, "log_amp": 0.0, "log_length": -1.0}.items()}
    res = FSSResult([table], [FSSModel()], (), draws, 0, SamplerOptions())
    x, y, e = res.collapse()
    assert np.allclose(x, (table.temperature - 1.0) * table.size)
    assert np.allclose(y, table.value / np.sqrt(table.size))
    mu, sd = res.band(x)
    assert np.max(np.abs(mu - y) / e) < 5 and np.all(sd >= 0)
    plot_raw(table)
    plot_collapse(res)
