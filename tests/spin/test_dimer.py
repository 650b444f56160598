"""Spin-1/2 dimer: Bleaney-Bowers and the T = 0 magnetisation step, in every convention.

Independent route: the closed-form Bleaney-Bowers law and the spec's reference numbers
(``shared/specs/spin-clusters.md`` section 5), with the singlet-triplet gap c*J written out
per convention (c = +1, -1, -2, +2).
"""

import numpy as np
import pytest

from bayesfit.spin import Cluster

from .helpers import C_CGS, MEV_K, MU_B_K

CONVENTIONS = {"+J": 1.0, "-J": -1.0, "-2J": -2.0, "+2J": 2.0}


def bleaney_bowers(gap_k, g, t):
    """chi per dimer (emu/mol) with singlet-triplet gap ``gap_k`` (K)."""
    return 2 * C_CGS * g**2 / (t * (3 + np.exp(gap_k / t)))


def test_spec_reference_values():
    c = Cluster([0.5, 0.5], {"J": [(0, 1)]}, convention="+J")
    chi = c.susceptibility({"J": 100.0, "g": 2.0}, np.array([50.0, 100.0, 300.0]))
    np.testing.assert_allclose(chi, [0.005778, 0.005248, 0.002276], atol=6e-7)
    t = np.linspace(55, 70, 3001)
    chi = np.asarray(c.susceptibility({"J": 100.0, "g": 2.0}, t))
    assert t[np.argmax(chi)] == pytest.approx(62.36, abs=0.02)


@pytest.mark.parametrize("convention", list(CONVENTIONS))
@pytest.mark.parametrize("sign", [1.0, -1.0])
def test_bleaney_bowers_every_convention(convention, sign):
    j_mev = sign * 3.0 / CONVENTIONS[convention]  # AF (sign=+1) or F dimer, |gap| = 3 meV
    c = Cluster([0.5, 0.5], {"J": [(0, 1)]}, convention=convention, energy_unit="meV")
    p = {"J": j_mev, "g": 2.1}
    gap_k = CONVENTIONS[convention] * j_mev * MEV_K
    t = np.geomspace(2.0, 400.0, 25)
    np.testing.assert_allclose(c.susceptibility(p, t), bleaney_bowers(gap_k, 2.1, t), rtol=2e-7)
    np.testing.assert_allclose(
        c.susceptibility(p, t, units="emu K/mol"), t * bleaney_bowers(gap_k, 2.1, t), rtol=2e-7
    )
    np.testing.assert_allclose(
        c.susceptibility(p, t, units="m^3/mol"),
        4e-6 * np.pi * bleaney_bowers(gap_k, 2.1, t),
        rtol=2e-7,
    )
    spec = c.spectrum(p)
    singlet = float(spec.energy[spec.spin == 0][0])
    triplet = float(spec.energy[spec.spin == 1][0])
    assert triplet - singlet == pytest.approx(gap_k / MEV_K, rel=1e-12)
    assert float(c.gap(p)) == pytest.approx(abs(gap_k) / MEV_K, rel=1e-12)


@pytest.mark.parametrize("convention", list(CONVENTIONS))
def test_zero_temperature_step(convention):
    """AF dimer at T << gap: M = 0 below B_c = gap / (g mu_B), g per dimer above."""
    j = 50.0 / CONVENTIONS[convention]  # gap 50 K in every convention
    c = Cluster([0.5, 0.5], {"J": [(0, 1)]}, convention=convention, formula_units=2)
    p = {"J": j, "g": 2.0}
    b_c = 50.0 / (2.0 * MU_B_K)
    assert float(c.saturation_field(p)) == pytest.approx(b_c, rel=1e-7)
    b = np.array([0.5, 0.9, 0.98, 1.02, 1.1, 2.0]) * b_c
    m = np.asarray(c.magnetization(p, b, 0.05))
    np.testing.assert_allclose(m, [0, 0, 0, 1, 1, 1], atol=1e-6)  # g*S / 2 f.u. = 1
    half = c.magnetization(p, b_c, 0.05)  # triplet m=+1 and singlet degenerate at B_c
    assert float(half) == pytest.approx(0.5, abs=1e-4)  # MU_B_K has 7 digits: dE ~ 1e-6 K
