"""Models shared by the REMC tests, each with an independent (analytic) answer."""

from __future__ import annotations

from types import SimpleNamespace

import jax.numpy as jnp
import numpy as np
import numpyro.distributions as dist
from scipy.stats import multivariate_normal

import bayesfit


def _lin(prm, X):
    return X @ jnp.stack([prm["a"], prm["b"], prm["c"]])


def make_linear_gaussian(n=50, sigma=0.5, prior_sd=10.0, seed=0, known=True, name="data"):
    """``y = X theta + N(0, sigma^2)``, ``theta ~ N(0, prior_sd^2 I_3)``: conjugate.

    ``log_evidence(s)`` is ``log N(y; 0, s^2 I + prior_sd^2 X X^T)`` (exact), and the
    posterior at noise ``s`` is Gaussian with the usual precision/mean.
    """
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, 3))
    theta = rng.normal(size=3)
    y = x @ theta + sigma * rng.normal(size=n)
    ds = bayesfit.Dataset(x, y, sigma=sigma if known else None, model=_lin, name=name)
    problem = bayesfit.Problem({k: dist.Normal(0.0, prior_sd) for k in "abc"}, ds)

    def log_evidence(s=sigma):
        cov = s**2 * np.eye(n) + prior_sd**2 * x @ x.T
        return float(multivariate_normal(np.zeros(n), cov).logpdf(y))

    def posterior(s=sigma):
        prec = x.T @ x / s**2 + np.eye(3) / prior_sd**2
        cov = np.linalg.inv(prec)
        return cov @ (x.T @ y / s**2), cov

    return SimpleNamespace(problem=problem, x=x, y=y, theta=theta, sigma=sigma,
                           log_evidence=log_evidence, posterior=posterior)




KAPPA = 3.0 / 7.0  # slope of the negative branch: the wide mode carries weight 1 / (1 + kappa)


def make_two_modes(dim=6, n=20, sigma=0.1, prior_sd=100.0, separation=30.0, seed=0):
    """A posterior that is exactly a mixture of two narrow Gaussians (weights 0.3 / 0.7).

    ``y = h(a_0) x_0 + sum_{i>0} a_i x_i + N(0, sigma^2)`` with ``h(a) = a`` for ``a > 0``
    and ``h(a) = -kappa a`` for ``a < 0``; all priors ``N(0, prior_sd^2)``. On each side of
    ``a_0 = 0`` the model is linear (conjugate): the posterior is a Gaussian restricted to
    that half-space, the two components have the same peak height and widths in ``a_0``
    differing by ``1 / kappa``, so the mode at ``a_0 < 0`` carries about 0.7. Exact values
    (``log_evidence``, ``weight_negative``): each side's conjugate evidence (the negative
    side with the prior of ``h = -kappa a_0``, ``N(0, (kappa prior_sd)^2)``) times the
    posterior probability of its half-space (a normal CDF). The modes lie ``separation``
    posterior widths (of the narrow mode) apart; prior draws have log likelihoods far below
    ``-1e6``.
    """
    from scipy.stats import norm

    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, dim))

    def conj(prior_h):
        S = np.diag([prior_h**2] + [prior_sd**2] * (dim - 1))
        prec = x.T @ x / sigma**2 + np.linalg.inv(S)
        return S, np.linalg.inv(prec)

    sd_h = float(np.sqrt(conj(prior_sd)[1][0, 0]))
    h_true = separation * sd_h / (1.0 + 1.0 / KAPPA)
    beta = np.concatenate([[h_true], rng.normal(size=dim - 1)])
    y = x @ beta + sigma * rng.normal(size=n)
    for _ in range(3):  # shift the data along x_0 so that the posterior mean of h is h_true
        S, cov = conj(prior_sd)
        y = y + (h_true - (cov @ x.T @ y / sigma**2)[0]) * x[:, 0]
    names = [f"a{i}" for i in range(dim)]

    def model(prm, xx):
        a = jnp.stack([prm[k] for k in names])
        h = jnp.where(a[0] > 0, a[0], -KAPPA * a[0])
        return xx @ a.at[0].set(h)

    ds = bayesfit.Dataset(x, y, sigma=sigma, model=model, name="mix")
    problem = bayesfit.Problem({k: dist.Normal(0.0, prior_sd) for k in names}, ds)

    def side(prior_h):
        S, cov = conj(prior_h)
        mean = cov @ x.T @ y / sigma**2
        log_z = multivariate_normal(np.zeros(n), sigma**2 * np.eye(n) + x @ S @ x.T).logpdf(y)
        return log_z + norm.logcdf(mean[0] / np.sqrt(cov[0, 0])), mean, cov

    lz_pos, m_pos, c_pos = side(prior_sd)
    lz_neg, m_neg, c_neg = side(KAPPA * prior_sd)
    log_z = float(np.logaddexp(lz_pos, lz_neg))
    return SimpleNamespace(problem=problem, x=x, y=y, log_evidence=log_z,
                           weight_negative=float(np.exp(lz_neg - log_z)),
                           modes=(m_pos[0], -m_neg[0] / KAPPA),
                           widths=(np.sqrt(c_pos[0, 0]), np.sqrt(c_neg[0, 0]) / KAPPA))
