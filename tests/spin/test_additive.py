"""Additive terms against their textbook formulas (written out here, not imported).

chi0: constant; impurities: Curie-Weiss with C_{1/2} = 0.0937870 g^2 emu K/mol and the
Brillouin function in its coth form; Weiss: chi T / (T - theta); PHI's mean field
chi / (1 - lambda chi), lambda = 2 zJ / (N_A g^2 mu_B^2) in the -2J convention.
"""

import numpy as np
import pytest

from bayesfit.spin import Cluster

from .helpers import C_CGS, MU_B_K, NA_MUB

T = np.array([2.0, 10.0, 50.0, 300.0])
B = np.array([0.5, 3.0, 12.0, 40.0])


@pytest.fixture(scope="module")
def trimer():
    return Cluster([0.5, 1, 0.5], {"J": [(0, 1), (1, 2)]}, convention="-2J", formula_units=1)


def brillouin(s, x):
    a, b = (2 * s + 1) / (2 * s), 1 / (2 * s)
    return a / np.tanh(a * x) - b / np.tanh(b * x)


def test_chi0_and_weiss(trimer):
    p = {"J": -8.0, "g": 2.1}
    chi = np.asarray(trimer.susceptibility(p, T))
    np.testing.assert_allclose(
        trimer.susceptibility(dict(p, chi0=-3e-4), T), chi - 3e-4, rtol=1e-12
    )
    np.testing.assert_allclose(
        trimer.susceptibility(dict(p, theta=-1.5), T), chi * T / (T + 1.5), rtol=1e-12
    )
    m = np.asarray(trimer.magnetization(p, B, 4.0))
    np.testing.assert_allclose(
        trimer.magnetization(dict(p, chi0=-3e-4), B, 4.0), m - 3e-4 * B * 1e4 / NA_MUB, rtol=1e-10
    )


@pytest.mark.parametrize("s_imp", [0.5, 2.5])
def test_impurity_curie_and_brillouin(s_imp):
    c = Cluster([0.5, 0.5], {"J": [(0, 1)]}, impurity_spin=s_imp)
    p = {"J": 40.0, "g": 2.0}
    q = dict(p, rho_imp=0.02, theta_imp=-0.8, g_imp=2.05)
    curie = C_CGS * 2.05**2 * s_imp * (s_imp + 1) / 3
    if s_imp == 0.5:
        assert curie / 2.05**2 == pytest.approx(0.0937870, rel=1e-6)
    np.testing.assert_allclose(
        np.asarray(c.susceptibility(q, T) - c.susceptibility(p, T)),
        0.02 * curie / (T + 0.8),
        rtol=1e-8,
    )
    x = 2.05 * MU_B_K * s_imp * B / (1.7 + 0.8)
    want = 0.02 * 2.05 * s_imp * brillouin(s_imp, x)
    np.testing.assert_allclose(
        np.asarray(c.magnetization(q, B, 1.7) - c.magnetization(p, B, 1.7)), want, rtol=1e-8
    )
    chi_b = c.susceptibility(q, T, field=1.0) - c.susceptibility(p, T, field=1.0)
    x1 = 2.05 * MU_B_K * s_imp * 1.0 / (T + 0.8)
    np.testing.assert_allclose(
        np.asarray(chi_b), 0.02 * 2.05 * s_imp * brillouin(s_imp, x1) * NA_MUB / 1e4, rtol=1e-8
    )


def test_mean_field_phi_convention(trimer):
    p = {"J": -8.0, "g": 2.1}
    q = dict(p, zJ=-0.3)
    chi = np.asarray(trimer.susceptibility(p, T))
    lam = 2 * (-0.3) / (C_CGS * 2.1**2)  # PHI: lambda = 2 zJ / (N_A g^2 mu_B^2), zJ in K
    np.testing.assert_allclose(trimer.susceptibility(q, T), chi / (1 - lam * chi), rtol=1e-7)
    # M(B) solves M = M_cl(B + lambda M H-units): check the self-consistency residual
    m = np.asarray(trimer.magnetization(q, B, 3.0))
    b_eff = B + lam * m * NA_MUB * 1e-4
    np.testing.assert_allclose(trimer.magnetization(p, b_eff, 3.0), m, rtol=1e-10)
    # and at low field it reproduces the mean-field susceptibility
    small = 1e-3
    chi_low = float(trimer.magnetization(q, small, 3.0)[()]) * NA_MUB / (small * 1e4)
    assert chi_low == pytest.approx(float(trimer.susceptibility(q, 3.0)), rel=1e-6)
