"""maximize: the end points' log densities come from the solver (no second program); they
must equal the log density evaluated there, and the best end point is the analytic mode."""

import jax
import jax.numpy as jnp
import numpy as np

from bayesfit.inference import maximize


def test_maximize_values_are_the_log_density_at_the_end_points():
    mu = jnp.array([0.3, -1.2])
    prec = jnp.array([[2.0, 0.5], [0.5, 1.0]])

    def log_density(z):
        d = z - mu
        # -inf outside a box: a start there ranks last
        return jnp.where(jnp.all(jnp.abs(z) < 50.0), -0.5 * d @ prec @ d + 0.7, -jnp.inf)

    z0 = jnp.array([[0.0, 0.0], [3.0, 2.0], [-2.0, 4.0], [100.0, 0.0]])
    opt = maximize(log_density, z0)
    np.testing.assert_allclose(opt.z, mu, atol=1e-6)
    assert float(opt.value) == float(log_density(opt.z))
    finite = np.isfinite(np.asarray(opt.all_values))
    assert finite.tolist() == [True, True, True, False]
    direct = np.asarray(jax.vmap(log_density)(opt.all_z[:3]))
    np.testing.assert_allclose(np.asarray(opt.all_values)[:3], direct, rtol=0, atol=1e-12)
