"""Analytic limits: Curie law, saturation, entropy sum rule, Bonner-Fisher, QuSpin spectra.

Independent routes: closed-form high-temperature and high-field limits, the third law /
entropy sum rule integrated numerically from C(T), the thermodynamic-limit Bonner-Fisher
numbers (spec section 5), and the QuSpin library's full spectrum of a J1-J2 ring.
"""

import numpy as np
import pytest

from bayesfit.spin import Cluster

from .helpers import C_CGS, R

MIXED = [0.5, 1, 1.5, 2.5]
MIXED_BONDS = {"Ja": [(0, 1), (2, 3)], "Jb": [(1, 2)], "Jc": [(0, 3)]}
MIXED_J = {"Ja": 12.0, "Jb": -7.0, "Jc": 4.0}


def spin_sum(f):
    return sum(f(s) for s in MIXED)


@pytest.fixture(scope="module")
def mixed():
    return Cluster(MIXED, MIXED_BONDS, convention="+J", formula_units=2)


def test_curie_law_high_temperature(mixed):
    p = dict(MIXED_J, g=2.03)
    t = np.array([2e4, 1e5])
    curie = C_CGS * 2.03**2 * spin_sum(lambda s: s * (s + 1) / 3) / 2
    np.testing.assert_allclose(mixed.susceptibility(p, t, units="emu K/mol"), curie, rtol=2e-3)
    # the leading correction is Curie-Weiss: chi T = C (1 + theta / T), theta fixed
    c1, c2 = np.asarray(mixed.susceptibility(p, t, units="emu K/mol")) / curie - 1
    assert c1 * 2e4 == pytest.approx(c2 * 1e5, rel=2e-3)


def test_saturation_at_high_field(mixed):
    p = dict(MIXED_J, g=2.03)
    m = mixed.magnetization(p, np.array([3000.0, 6000.0]), 2.0)
    np.testing.assert_allclose(m, 2.03 * spin_sum(lambda s: s) / 2, rtol=1e-10)
    b_sat = float(mixed.saturation_field(p))
    below, above = np.asarray(mixed.magnetization(p, [0.98 * b_sat, 1.02 * b_sat], 1e-3))
    assert above == pytest.approx(2.03 * 5.5 / 2, rel=1e-9) and below < above - 0.5


def test_entropy_sum_rule(mixed):
    p = dict(MIXED_J, g=2.0)
    s_inf = R * spin_sum(lambda s: np.log(2 * s + 1)) / 2
    assert float(mixed.entropy(p, 1e7)) == pytest.approx(s_inf, rel=1e-6)
    spec = mixed.spectrum(p)
    ground = np.asarray(spec.degeneracy)[np.isclose(spec.energy, spec.energy[0], atol=1e-9)]
    s_zero = R * np.log(ground.sum()) / 2
    assert float(mixed.entropy(p, 1e-3)) == pytest.approx(s_zero, abs=1e-9)
    t = np.geomspace(1e-2, 1e6, 6001)
    c = np.asarray(mixed.heat_capacity(p, t))
    integral = np.trapezoid(c, np.log(t))  # int C/T dT
    assert integral == pytest.approx(s_inf - s_zero, rel=2e-5)


def _ring_maximum(n):
    c = Cluster([0.5] * n, {"J": [(i, (i + 1) % n) for i in range(n)]})
    t = np.linspace(0.55, 0.85, 601)
    chi = np.asarray(c.susceptibility({"J": 1.0, "g": 2.0}, t)) / n
    k = int(np.argmax(chi))
    y0, y1, y2 = chi[k - 1 : k + 2]
    h = t[1] - t[0]
    shift = 0.5 * h * (y0 - y2) / (y0 - 2 * y1 + y2)  # parabola through the 3 points
    peak = y1 - 0.25 * (y0 - y2) * shift / h
    return t[k] + shift, peak / (C_CGS * 4.0)


def test_rings_approach_bonner_fisher():
    """k T_max / J = 0.6409 and chi_max J / (N_A g^2 mu_B^2) = 0.14693 as n -> infinity."""
    errors = []
    for n in (6, 8, 10, 12):
        t_max, chi_max = _ring_maximum(n)
        errors.append((abs(t_max / 0.6409 - 1), abs(chi_max / 0.14693 - 1)))
    errors = np.array(errors)
    assert np.all(np.diff(errors, axis=0) < 0), errors  # monotone approach
    assert errors[-1, 0] < 1e-3 and errors[-1, 1] < 2e-4, errors[-1]


def test_spectrum_matches_quspin():
    import quspin  # an independent library, used only here (pyproject [bench] extra)
    from quspin.basis import spin_basis_1d
    from quspin.operators import hamiltonian

    n = 8
    j1 = [[1.3, i, (i + 1) % n] for i in range(n)]
    j2 = [[0.45, i, (i + 2) % n] for i in range(n)]
    basis = spin_basis_1d(n, pauli=False)
    ops = [[a, j1 + j2] for a in ("xx", "yy", "zz")]
    h = hamiltonian(
        ops, [], basis=basis, dtype=np.float64, check_symm=False, check_herm=False, check_pcon=False
    )
    ref = np.sort(h.eigvalsh())
    c = Cluster(
        [0.5] * n,
        {"J1": [(i, (i + 1) % n) for i in range(n)], "J2": [(i, (i + 2) % n) for i in range(n)]},
        convention="+J",
    )
    spec = c.spectrum({"J1": 1.3, "J2": 0.45, "g": 2.0})
    got = np.repeat(np.asarray(spec.energy), np.asarray(spec.degeneracy).astype(int))
    np.testing.assert_allclose(np.sort(got), ref, atol=1e-10)
    assert quspin.__version__
