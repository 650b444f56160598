"""Ordering constraints ``order = ["a", "b"]`` (a <= b) as a change of variables.

Independent routes: the log-Jacobian against the determinant of the autodiff Jacobian of
the whole map z -> parameters; the normalisation of the restricted prior by quadrature;
the ordered posterior's mean by brute-force integration on a grid in natural units.
"""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np
import numpyro.distributions as dist
import pytest

import bayesfit as bf
from bayesfit.errors import BayesfitError


def _symmetric_problem(order=None, prior=None):
    """a and b enter the model only through a + b and a * b: exchangeable."""
    x = np.linspace(0.0, 1.0, 8)
    y = 1.0 + 0.5 * x  # a + b = 1, a * b = -0.5 -> (a, b) = (-0.366, 1.366) or mirrored
    prior = prior or dist.Uniform(-2.0, 3.0)

    def model(p, x):
        return (p["a"] + p["b"]) - p["a"] * p["b"] * x

    ds = bf.Dataset(x, y, sigma=0.3, model=model, name="d")
    return bf.Problem({"a": prior, "b": prior, "c": dist.Normal(0.0, 1.0)}, ds, order=order,
                      symmetries=[{"a": "b", "b": "a"}])


def test_log_jacobian_matches_autodiff_determinant():
    p = _symmetric_problem(order=["a", "b"])

    def flat(z):
        v = p.constrain(z)
        return jnp.stack([v["a"], v["b"], v["c"]])

    for z in jax.random.normal(jax.random.PRNGKey(0), (5, 3)):
        jac = jax.jacfwd(flat)(z)
        want = jnp.log(jnp.abs(jnp.linalg.det(jac)))
        assert float(p.log_jacobian(z)) == pytest.approx(float(want), rel=1e-10, abs=1e-10)
        v = p.constrain(z)
        assert float(v["a"]) <= float(v["b"])
        np.testing.assert_allclose(p.unconstrain(v), z, atol=1e-10)


def test_restricted_prior_is_normalised():
    """exp(log_prior_z) integrates to 1 over z (the ordered region holds 1/2 of the prior
    mass; the factor 2! makes up for it)."""
    x = np.linspace(0, 1, 3)
    ds = bf.Dataset(x, x, sigma=1.0, model=lambda p, x: 0 * x + p["a"], name="d")
    p = bf.Problem({"a": dist.Uniform(-2.0, 3.0), "b": dist.Uniform(-2.0, 3.0)}, ds,
                   order=["a", "b"])
    z1 = np.linspace(-25, 25, 801)
    z2 = np.linspace(-30, 5, 801)
    grid = jnp.stack(np.meshgrid(z1, z2, indexing="ij"), axis=-1).reshape(-1, 2)
    dens = np.exp(np.asarray(jax.vmap(p.log_prior_z)(grid))).reshape(z1.size, z2.size)
    total = np.trapezoid(np.trapezoid(dens, z2, axis=1), z1)
    assert total == pytest.approx(1.0, abs=2e-3)


def test_prior_draws_are_ordered_and_distributed_as_the_minimum():
    p = _symmetric_problem(order=["a", "b"])
    z = p.sample_prior_z(jax.random.PRNGKey(3), 4000)
    v = jax.vmap(p.constrain)(z)
    a, b = np.asarray(v["a"]), np.asarray(v["b"])
    assert np.all(a <= b)
    # a is the minimum of two uniforms on [-2, 3]: P(a <= t) = 1 - (1 - u)^2
    for t in (-1.0, 0.5, 2.0):
        u = (t + 2.0) / 5.0
        assert np.mean(a <= t) == pytest.approx(1 - (1 - u) ** 2, abs=0.03)


def test_ordered_posterior_matches_grid_integration():
    """NUTS on the ordered problem against the mean of a and b from a brute-force grid
    over the ordered half of the (a, b) plane (c integrated out analytically: it does not
    enter the likelihood)."""
    p = _symmetric_problem(order=["a", "b"])
    r = bf.fit(p, bf.NUTS(), chains=2, draws=400, warmup=200, seed=4, progress=False,
               predictive=False)
    a, b = r.draws("a"), r.draws("b")
    assert np.all(a <= b)
    g = np.linspace(-2.0, 3.0, 301)
    A, B = np.meshgrid(g, g, indexing="ij")
    ll = jax.vmap(jax.vmap(lambda a, b: p.log_likelihood({"a": a, "b": b, "c": 0.0})))(
        jnp.asarray(A), jnp.asarray(B))
    w = np.where(A <= B, np.exp(np.asarray(ll) - float(np.max(ll))), 0.0)
    w /= w.sum()
    for name, draws, grid in (("a", a, A), ("b", b, B)):
        mean = float((w * grid).sum())
        sd = float(np.sqrt((w * (grid - mean) ** 2).sum()))
        assert abs(draws.mean() - mean) < 0.15 * sd + 0.01, name
    # the unordered posterior has two mirror modes; the ordered one has only the a <= b one
    assert a.mean() < b.mean()


def test_order_errors_name_the_problem():
    with pytest.raises(BayesfitError, match="same prior"):
        _symmetric_problem(order=["a", "c"])
    with pytest.raises(BayesfitError, match="not a free parameter"):
        _symmetric_problem(order=["a", "zz"])
    with pytest.raises(BayesfitError, match="list of parameter names"):
        _symmetric_problem(order="a")


def test_exchangeable_parameters_warn_unless_ordered():
    with pytest.warns(bf.core.ExchangeableWarning, match="a <-> b"):
        p = _symmetric_problem()
    assert p.exchangeable == [["a", "b"]]
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error", bf.core.ExchangeableWarning)
        _symmetric_problem(order=["a", "b"])
