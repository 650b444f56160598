"""The ED routes reduce to the multiplet route where the physics says they must.

With D = 0 the anisotropic powder route (full space, field at angles, quadrature) must
reproduce the isotropic result, and the unequal-g route with equal g values must too;
they share no diagonalisation code with the multiplet route (S^z blocks / full space vs
highest-weight sectors), so agreement checks both.
"""

import numpy as np
import pytest

from bayesfit.spin import Cluster

SPINS = [1, 0.5, 1.5, 1]
BONDS = {"Ja": [(0, 1), (2, 3)], "Jb": [(1, 2)], "Jc": [(0, 3)]}
P = {"Ja": 9.0, "Jb": -5.0, "Jc": 3.0, "g": 2.02}
T = np.array([0.9, 5.0, 40.0, 250.0])
B = np.array([0.3, 4.0, 18.0, 60.0])


@pytest.fixture(scope="module")
def reference():
    return Cluster(SPINS, BONDS, convention="-2J", energy_unit="cm-1")


@pytest.mark.parametrize("variant", ["powder, D = 0", "blocks, equal g"])
def test_routes_agree(reference, variant):
    if variant.startswith("powder"):
        c = Cluster(
            SPINS,
            BONDS,
            convention="-2J",
            energy_unit="cm-1",
            anisotropy={"D": [0, 2, 3]},
            powder_points=3,
        )
        p = dict(P, D=0.0)
    else:
        c = Cluster(
            SPINS,
            BONDS,
            convention="-2J",
            energy_unit="cm-1",
            g_groups={"g_a": [0, 3], "g_b": [1, 2]},
        )
        p = {k: v for k, v in P.items() if k != "g"} | {"g_a": 2.02, "g_b": 2.02}
    assert c.path == variant.split(",")[0]
    ref = reference
    np.testing.assert_allclose(c.susceptibility(p, T), ref.susceptibility(P, T), rtol=1e-9)
    np.testing.assert_allclose(
        c.susceptibility(p, T, field=1.0), ref.susceptibility(P, T, field=1.0), rtol=1e-9
    )
    np.testing.assert_allclose(c.magnetization(p, B, 2.0), ref.magnetization(P, B, 2.0), rtol=1e-9)
    np.testing.assert_allclose(c.heat_capacity(p, T), ref.heat_capacity(P, T), rtol=1e-9)
    np.testing.assert_allclose(c.entropy(p, T), ref.entropy(P, T), rtol=1e-9)
    assert float(c.gap(p)) == pytest.approx(float(ref.gap(P)), rel=1e-9)
    s_ref = ref.spectrum(P)
    levels = np.repeat(np.asarray(s_ref.energy), np.asarray(s_ref.degeneracy).astype(int))
    if variant.startswith("powder"):
        np.testing.assert_allclose(np.asarray(c.spectrum(p).energy), levels, atol=1e-9)
    else:
        np.testing.assert_allclose(
            np.asarray(c.spectrum(p).energy), np.asarray(s_ref.energy), atol=1e-9
        )


def test_powder_chi_is_the_tensor_average():
    """A single S = 1 with D: chi_par and chi_perp in closed form (Kahn, Molecular Magnetism,
    eqs. 2.26-2.27 with E_+-1 = D/3, E_0 = -2D/3): chi_par = 2 C g^2 e^{-D/T} / (T (1 + 2
    e^{-D/T})), chi_perp = 2 C g^2 (1 - e^{-D/T}) / (D (1 + 2 e^{-D/T}))."""
    c = Cluster([1, 0.5], {"J": [(0, 1)]}, anisotropy={"D": [0]})
    p = {"J": 0.0, "D": 7.0, "g": 2.0}
    t = np.array([0.5, 3.0, 20.0])
    x = np.exp(-7.0 / t)
    cc = 0.375148095 * 4.0
    par = 2 * cc * x / (t * (1 + 2 * x))
    perp = 2 * cc * (1 - x) / (7.0 * (1 + 2 * x))
    free = cc * 0.75 / 3 / t  # the uncoupled spin 1/2
    np.testing.assert_allclose(c.susceptibility(p, t), (par + 2 * perp) / 3 + free, rtol=1e-8)
