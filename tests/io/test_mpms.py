"""MPMS .dat exports: conversion to molar chi and M, and malformed files."""

import numpy as np
import pytest

from bayesfit.errors import DataFileError
from bayesfit.io import Sample, load_model, read_mpms

MPMS3 = """[Header]
; Quantum Design MPMS3 data file (made for this test)
INFO,Sample mass 12.0 mg,SAMPLE_MASS
TITLE,Test compound
BYAPP,MPMS3,1.0
[Data]
Comment,Time Stamp (sec),Temperature (K),Magnetic Field (Oe),Moment (emu),M. Std. Err. (emu),Transport Action
,100.0,300.0,1000.0,2.0E-4,1.0E-6,1
,101.0,100.0,1000.0,6.0E-4,2.0E-6,1
,102.0,,1000.0,,,1
,103.0,10.0,1000.0,5.0E-3,1.0E-5,1
"""

MPMSXL = """[Header]
INFO,MPMS-XL
[Data]
Time,Field (Oe),Temperature (K),Long Moment (emu),Long Scan Std Dev
1,5000,2.0,0.05,1e-4
2,10000,2.0,0.09,1e-4
"""


def test_mpms3_conversion_by_hand(tmp_path):
    p = tmp_path / "s.dat"
    p.write_text(MPMS3)
    s = Sample(mass_mg=12.0, molar_mass_g_per_mol=400.0, diamagnetic_emu_per_mol=-2e-4)
    t = read_mpms(p, s)
    # n = 12e-3 g / 400 g/mol = 3e-5 mol, H n = 0.03 Oe mol; chi = m / (H n) - chi_dia
    np.testing.assert_allclose(t.column("T_K"), [300.0, 100.0, 10.0])
    np.testing.assert_allclose(t.column("chi_emu_per_mol"),
                               [2e-4 / 0.03 + 2e-4, 6e-4 / 0.03 + 2e-4, 5e-3 / 0.03 + 2e-4])
    np.testing.assert_allclose(t.column("chi_err_emu_per_mol"), [1e-6 / 0.03, 2e-6 / 0.03, 1e-5 / 0.03])
    np.testing.assert_allclose(t.column("B_T"), 0.1)
    # 1 mu_B per formula unit = 5584.94 emu/mol (spec table)
    np.testing.assert_allclose(t.column("M_muB_per_fu"), [2e-4 / 3e-5 / 5584.94,
                                                          6e-4 / 3e-5 / 5584.94,
                                                          5e-3 / 3e-5 / 5584.94], rtol=1e-5)
    assert t.units["chi_emu_per_mol"] == "emu/mol"


def test_mpmsxl_long_moment_columns(tmp_path):
    p = tmp_path / "xl.dat"
    p.write_text(MPMSXL)
    t = read_mpms(p, Sample(mass_mg=10.0, molar_mass_g_per_mol=100.0))
    np.testing.assert_allclose(t.column("B_T"), [0.5, 1.0])
    np.testing.assert_allclose(t.column("M_err_muB_per_fu"), 1e-4 / 1e-4 / 5584.94, rtol=1e-5)


@pytest.mark.parametrize(
    "text, needle",
    [
        ("[Header]\nINFO,x\n", "no \\[Data\\] section"),
        ("[Data]\nTemperature (K),Field (Oe)\n1,2\n", "no moment column"),
        ("[Data]\nTemperature (K),Field (Oe),Moment (emu)\n1,0,1e-3\n", "zero field"),
        ("[Data]\nTemperature (K),Field (Oe),Moment (emu)\n1,10,abc\n", "s.dat:3"),
        ("[Data]\nTemperature (K),Field (Oe),Moment (emu)\n-1,10,1e-3\n", "must be > 0 K"),
        ("[Data]\nTemperature (K),Field (Oe),Moment (emu)\n,,\n", "no complete rows"),
    ],
)
def test_malformed_mpms(tmp_path, text, needle):
    p = tmp_path / "s.dat"
    p.write_text(text)
    with pytest.raises(DataFileError, match=needle):
        read_mpms(p, Sample(mass_mg=1.0, molar_mass_g_per_mol=1.0))


def test_bad_sample_description():
    with pytest.raises(DataFileError, match="mass_mg must be a positive number"):
        Sample(mass_mg=0.0, molar_mass_g_per_mol=1.0)


def test_model_file_reads_mpms_with_known_noise(tmp_path):
    (tmp_path / "s.dat").write_text(MPMS3)
    (tmp_path / "m.toml").write_text("""
[kernel]
name = "function"
[parameters]
C = { prior = "LogUniform", low = 1e-3, high = 10.0, units = "emu K/mol" }
[[datasets]]
name = "chi"
file = "s.dat"
mpms = { mass_mg = 12.0, molar_mass_g_per_mol = 400.0, diamagnetic_emu_per_mol = -2e-4 }
x = "T_K"
y = "chi_emu_per_mol"
sigma = "chi_err_emu_per_mol"
x_units = "K"
y_units = "emu/mol"
expression = "C / x"
""")
    problem = load_model(tmp_path / "m.toml").problem()
    ds = problem.datasets[0]
    assert ds.n == 3 and ds.sigma.shape == (3,)
    assert "sigma_chi" not in problem.free  # known noise from the file
