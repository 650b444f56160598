"""Real data: the diradicals D-NIT2 and 3D-NIT2 (digitized published chi*T, data/dnit2 and
data/3dnit2) fitted with their model files; the posterior against the published values.

Published (H = -2J S1.S2): D-NIT2 J = -230 K (fit; ESR -240 K), g = 2.007; 3D-NIT2
J = -47.5 K, theta = -25 K (ESR: J = -43 K, g = 2.0065). The digitized points have no
error bars: the noise level is a free parameter. Short NUTS runs (2 chains).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import bayesfit as bf
from bayesfit.io import load_model

ROOT = Path(__file__).resolve().parents[2]


def _fit(name):
    spec = load_model(ROOT / "models" / f"{name}.toml")
    return bf.fit(spec.problem(), bf.NUTS(), chains=2, draws=300, warmup=300, seed=1,
                  progress=False, predictive=False)


def _interval(r, name, prob=0.95):
    d = r.draws(name)
    q = np.quantile(d, [(1 - prob) / 2, (1 + prob) / 2])
    print(f"REAL {name}: {d.mean():.4g} +- {d.std():.2g} [{q[0]:.4g}, {q[1]:.4g}]")
    return q


def test_3dnit2_dimer_with_weiss_temperature():
    r = _fit("3dnit2")
    j_lo, j_hi = _interval(r, "J")
    t_lo, t_hi = _interval(r, "theta")
    assert j_lo <= -47.5 <= j_hi  # the published fit lies inside the 95 % interval
    assert t_lo <= -25.0 <= t_hi
    assert j_hi - j_lo < 8.0 and t_hi - t_lo < 15.0  # and the data determine both
    _interval(r, "g")
    assert 1.95 < r.draws("g").mean() < 2.05
    summ = r.summary()
    assert float(summ.loc["J", "r_hat"]) < 1.05
    assert np.all(r.tree["optima"]["laplace_weight"].values[:1] > 0.99)


def test_dnit2_dimer():
    r = _fit("dnit2")
    j = r.draws("J")
    _interval(r, "J")
    _interval(r, "g")
    assert j.mean() == pytest.approx(-230.0, abs=5.0)  # published fit -230 K
    assert abs(r.draws("g").mean() - 2.007) < 0.05
