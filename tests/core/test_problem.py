"""Problem and Dataset: densities against direct formulas, transforms, validation."""

import jax
import jax.numpy as jnp
import numpy as np
import numpyro.distributions as dist
import pytest
from scipy import stats

import bayesfit as bf
from bayesfit.errors import BayesfitError
from tests.conftest import line


def _problem(sigma=None):
    x = np.linspace(0, 1, 10)
    y = 2 * x + 1
    return bf.Problem(
        {"a": dist.Normal(0, 3), "b": dist.Uniform(-5, 5)},
        [bf.Dataset(x, y, sigma=sigma, model=line, name="d")],
    )


def test_log_posterior_matches_scipy():
    p = _problem(sigma=0.5)
    v = {"a": jnp.asarray(1.7), "b": jnp.asarray(0.3)}
    ds = p.datasets[0]
    expected = (stats.norm(0, 3).logpdf(1.7) + stats.uniform(-5, 10).logpdf(0.3)
                + stats.norm(1.7 * ds.x + 0.3, 0.5).logpdf(ds.y).sum())
    assert float(p.log_posterior(v)) == pytest.approx(expected, rel=1e-12)


def test_noise_parameter_added_with_scale_invariant_prior():
    p = _problem()
    assert "sigma_d" in p.free
    d = p.free["sigma_d"]
    # log-uniform: density * sigma is constant
    s = jnp.array([0.01, 0.1, 1.0])
    assert np.ptp(np.asarray(d.log_prob(s) + jnp.log(s))) < 1e-12


def test_unconstrained_round_trip_and_jacobian():
    p = _problem()
    z = jnp.array([0.3, -0.2, 1.1])
    back = p.unconstrain(p.constrain(z))
    np.testing.assert_allclose(back, z, atol=1e-12)
    # the Jacobian term integrates the prior correctly: compare with a finite-difference
    # derivative of the constraining map of the bounded parameter
    eps = 1e-6
    f = lambda t: p.constrain(z.at[1].set(t))["b"]  # noqa: E731
    num = (f(z[1] + eps) - f(z[1] - eps)) / (2 * eps)
    jac_b = p.log_jacobian(z) - p.log_jacobian(z.at[1].set(0.0)) + jnp.log(
        jax.grad(f)(0.0))
    assert float(jac_b) == pytest.approx(float(jnp.log(num)), rel=1e-6)


def test_gradient_matches_finite_differences():
    p = _problem()
    z = jnp.array([0.3, -0.2, -1.1])
    g = jax.grad(p.log_density_z)(z)
    for i in range(3):
        e = jnp.zeros(3).at[i].set(1e-6)
        num = (p.log_density_z(z + e) - p.log_density_z(z - e)) / 2e-6
        assert float(g[i]) == pytest.approx(float(num), rel=1e-5, abs=1e-6)


def test_power_posterior_scales_only_the_likelihood():
    p = _problem()
    z = jnp.array([0.3, -0.2, -1.1])
    lp, ll = p.log_prior_z(z), p.log_likelihood_z(z)
    assert float(p.log_density_z(z, 0.25)) == pytest.approx(float(lp + 0.25 * ll))


def test_numpyro_model_is_plain_numpyro():
    from numpyro.infer.util import log_density

    p = _problem(sigma=0.5)
    v = {"a": jnp.asarray(1.7), "b": jnp.asarray(0.3)}
    ld, _ = log_density(p.numpyro_model, (), {}, v)
    assert float(ld) == pytest.approx(float(p.log_posterior(v)), rel=1e-12)


@pytest.mark.parametrize(
    "kwargs, needle",
    [
        (dict(x=[1, 2], y=[1]), "x has 2 points but y has 1"),
        (dict(x=[], y=[]), "empty"),
        (dict(x=[1, np.inf], y=[1, 2]), "non-finite values at rows \\[1\\]"),
        (dict(x=[1, 2], y=[1, 2], sigma=[1, 0]), "sigma must be > 0"),
        (dict(x=[1, 2], y=[1, 2], sigma=[1, 1, 1]), "sigma has 3 values"),
        (dict(x=[1, 2], y=[1, 2], name="bad name"), "not a valid identifier"),
    ],
)
def test_dataset_bad_input(kwargs, needle):
    kwargs.setdefault("model", line)
    with pytest.raises(BayesfitError, match=needle):
        bf.Dataset(**kwargs)


def test_unknown_parameter_in_model_is_named():
    ds = bf.Dataset([0, 1], [0, 1], sigma=1, model=lambda p, x: p["slope"] * x, name="d")
    with pytest.raises(BayesfitError, match="needs parameter 'slope'"):
        bf.Problem({"a": dist.Normal(0, 1)}, [ds])


def test_init_outside_support_is_refused():
    ds = bf.Dataset([0, 1], [0, 1], sigma=1, model=line, name="d")
    with pytest.raises(BayesfitError, match="outside the support"):
        bf.Problem({"a": dist.Uniform(0, 1), "b": 0.0}, [ds], init={"a": 2.0})


def test_shared_parameters_across_datasets():
    x = np.linspace(0, 1, 5)
    d1 = bf.Dataset(x, 2 * x + 1, sigma=0.1, model=line, name="one")
    d2 = bf.Dataset(x, 2 * x, sigma=0.1, model=lambda p, x: p["a"] * x, name="two")
    p = bf.Problem({"a": dist.Normal(0, 5), "b": dist.Normal(0, 5)}, [d1, d2])
    ll = p.pointwise_log_likelihood({"a": jnp.asarray(2.0), "b": jnp.asarray(1.0)})
    assert set(ll) == {"one", "two"}
