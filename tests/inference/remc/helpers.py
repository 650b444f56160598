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


