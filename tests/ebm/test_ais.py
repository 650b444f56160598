"""AIS against exact log Z where both exist."""

import jax
import numpy as np
import pytest

from bayesfit.ebm import RBM, SK, RBMParams, ais_log_Z, ais_log_Z_target


def test_ais_rbm_matches_exact():
    rbm = RBM(12, 8)
    k1, k2, k3 = jax.random.split(jax.random.key(1), 3)
    p = RBMParams(a=0.3 * jax.random.normal(k1, (12,)), b=0.3 * jax.random.normal(k2, (8,)),
                  W=0.5 * jax.random.normal(k3, (8, 12)))
    exact = float(rbm.log_Z(p, "visible"))
    assert exact == pytest.approx(float(rbm.log_Z(p, "hidden")), abs=1e-10)
    res = ais_log_Z(rbm, p, jax.random.key(2), steps=1500, chains=256)
    assert np.isfinite(float(res.stderr))
    assert abs(float(res.log_Z) - exact) < 4 * float(res.stderr) + 0.03


def test_ais_target_matches_enumeration():
    t = SK(10, beta=1.0, seed=2)
    exact = float(t.enumerate().log_Z)
    res = ais_log_Z_target(t, jax.random.key(3), steps=400, chains=128)
    assert abs(float(res.log_Z) - exact) < 4 * float(res.stderr) + 0.03
