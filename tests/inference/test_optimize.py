"""The MAP search and the finite-difference Laplace covariance against known answers."""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np
import numpyro.distributions as dist

import bayesfit
from bayesfit.inference._optimize import (
    fd_hessian,
    fd_laplace_covariance,
    maximize,
    value_and_grad,
)


def _double_well(z):
    """Optima at z = -1 (log density 0) and z = +2 (log density 1, the best); NaN beyond
    |z| = 5 (a model that cannot be evaluated there)."""
    x = z[0]
    v = jnp.logaddexp(-0.5 * ((x + 1.0) / 0.3) ** 2, 1.0 - 0.5 * ((x - 2.0) / 0.2) ** 2)
    return jnp.where(jnp.abs(x) < 5.0, v, jnp.nan)


def test_maximize_finds_every_optimum_and_ranks_unusable_starts_last():
    starts = jnp.array([[-1.5], [2.6], [-0.4], [7.0], [1.4]])
    opt = maximize(_double_well, starts)
    ends, vals = np.asarray(opt.all_z)[:, 0], np.asarray(opt.all_values)
    np.testing.assert_allclose(ends[[0, 2]], -1.0, atol=1e-5)
    np.testing.assert_allclose(ends[[1, 4]], 2.0, atol=1e-5)
    assert vals[3] == -np.inf and ends[3] == 7.0  # no finite density at the start: kept
    np.testing.assert_allclose(float(opt.z[0]), 2.0, atol=1e-5)
    assert abs(float(opt.value) - 1.0) < 1e-6


def test_map_of_a_conjugate_model_is_the_exact_posterior_mean():
    rng = np.random.default_rng(3)
    x = rng.normal(size=(40, 2))
    y = x @ np.array([0.7, -1.2]) + 0.1 * rng.normal(size=40)
    ds = bayesfit.Dataset(x, y, sigma=0.1, model=lambda p, x: x @ jnp.stack([p["a"], p["b"]]))
    problem = bayesfit.Problem({"a": dist.Normal(0, 3.0), "b": dist.Normal(0, 3.0)}, ds)
    prec = x.T @ x / 0.01 + np.eye(2) / 9.0
    mean = np.linalg.solve(prec, x.T @ y / 0.01)
    opt = maximize(problem.log_density_z, problem.sample_prior_z(jax.random.PRNGKey(0), 4))
    np.testing.assert_allclose(np.asarray(opt.all_z), np.tile(mean, (4, 1)), atol=1e-6)
    cov = fd_laplace_covariance(problem.log_density_z, opt.z)
    np.testing.assert_allclose(np.asarray(cov), np.linalg.inv(prec), rtol=1e-5)
    # one compiled (value, gradient) per density, shared by the search and the covariance
    assert value_and_grad(problem.log_density_z) is value_and_grad(problem.log_density_z)


def test_fd_hessian_is_accurate_for_sharp_non_gaussian_densities():
    """Widths 1e-4 and 3 in one density with quartic terms: the per-coordinate steps keep
    the relative error near 1e-4 (a fixed step of 1e-4 would be as wide as the peak)."""
    s = jnp.array([1e-4, 3.0])

    def f(z):
        u = (z - 0.2) / s
        return -0.5 * jnp.sum(u**2) - 0.05 * jnp.sum(u**4) + 0.3 * u[0] * u[1]

    z = jnp.array([0.2 + 0.5e-4, 1.0])
    exact = np.asarray(jax.hessian(f)(z))
    H = fd_hessian(jax.jit(jax.grad(f)), z)
    np.testing.assert_allclose(H, exact, rtol=1e-3)
