"""Bad input gets a clear BayesfitError that names the value and says what to do."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from bayesfit.errors import BayesfitError, UnitError
from bayesfit.spin import Cluster, ClusterError, ParameterError

DIMER = {"J": [(0, 1)]}


@pytest.mark.parametrize(
    "spins,match",
    [
        ([0.5, 0.3], "site 1 has spin 0.3"),
        ([0.5, -0.5], "positive half-integers"),
        ([0.5, 0], "site 1 has spin 0"),
        ([0.5, "abc"], "site 1 has spin 'abc'"),
        ([], "non-empty list"),
    ],
)
def test_bad_spins(spins, match):
    with pytest.raises(ClusterError, match=match):
        Cluster(spins, DIMER)


def test_spins_as_strings_and_mixed():
    c = Cluster(["1/2", 1, "3/2", 2.5], {"J": [(0, 1), (2, 3)]})
    assert c.spec.two_s == (1, 2, 3, 5)


@pytest.mark.parametrize(
    "bonds,match",
    [
        ({"J": [(0, 2)]}, "refers to site 2, but the cluster has sites 0..1"),
        ({"J": [(0, 0)]}, "self-bond"),
        ({"J": [(0, 1)], "K": [(1, 0)]}, r"bond \(0, 1\) is listed twice \(in 'J' and 'K'\)"),
        ({"J": [(0, 1), (0, 1)]}, "listed twice"),
        ({"J": []}, "non-empty list of site pairs"),
        ({"J": [(0, 1, 2)]}, "not a pair"),
        ({"g": [(0, 1)]}, "already used"),
        ({"chi0": [(0, 1)]}, "already used"),
        ({"1J": [(0, 1)]}, "plain identifier"),
    ],
)
def test_bad_bonds(bonds, match):
    with pytest.raises(ClusterError, match=match):
        Cluster([0.5, 0.5], bonds)


def test_unknown_convention_and_unit():
    with pytest.raises(UnitError, match=r"unknown exchange convention 'J'.*\+J, -J, -2J, \+2J"):
        Cluster([0.5, 0.5], DIMER, convention="J")
    with pytest.raises(UnitError, match="unknown energy unit 'eV'"):
        Cluster([0.5, 0.5], DIMER, energy_unit="eV")
    c = Cluster([0.5, 0.5], DIMER)
    with pytest.raises(UnitError, match="unknown unit 'emu/g' for susceptibility"):
        c.susceptibility({"J": 1.0, "g": 2.0}, [1.0], units="emu/g")
    with pytest.raises(UnitError, match="for magnetization"):
        c.magnetization({"J": 1.0, "g": 2.0}, [1.0], 2.0, units="T")


def test_groups():
    with pytest.raises(ClusterError, match=r"sites \[2\] have no g"):
        Cluster([0.5, 1, 1], {"J": [(0, 1)]}, g_groups={"g_a": [0], "g_b": [1]})
    with pytest.raises(ClusterError, match="site 1 is in g group 'g_a' and 'g_b'"):
        Cluster([0.5, 1], DIMER, g_groups={"g_a": [0, 1], "g_b": [1]})
    with pytest.raises(ClusterError, match="identically zero for S = 1/2"):
        Cluster([0.5, 1], DIMER, anisotropy={"D": [0, 1]})
    with pytest.raises(ClusterError, match="refers to site 5"):
        Cluster([0.5, 1], DIMER, anisotropy={"D": [5]})


def test_too_large_is_refused_with_the_number():
    with pytest.raises(
        ClusterError,
        match=r"20-site cluster \(Hilbert space dimension 1048576"
        r".*needs an estimated [0-9.]+ GiB.*limit of 4 GiB",
    ):
        Cluster([0.5] * 20, {"J": [(i, i + 1) for i in range(19)]})
    with pytest.raises(ClusterError, match="powder path"):
        Cluster(
            [1] * 9, {"J": [(i, i + 1) for i in range(8)]}, anisotropy={"D": [0]}, max_memory_gib=1
        )


def test_non_positive_temperature_and_field():
    c = Cluster([0.5, 0.5], DIMER)
    p = {"J": 10.0, "g": 2.0}
    with pytest.raises(
        BayesfitError,
        match=r"temperature T \(K\) must be finite and > 0; got"
        r" \[0.0, -1.0\]",
    ):
        c.susceptibility(p, np.array([1.0, 0.0, -1.0]))
    with pytest.raises(BayesfitError, match="must be finite and > 0"):
        c.heat_capacity(p, [np.nan])
    with pytest.raises(BayesfitError, match="measuring field"):
        c.susceptibility(p, [1.0], field=-0.1)
    # traced temperatures: checked inside jit with equinox.error_if
    f = jax.jit(lambda t: c.susceptibility(p, t))
    assert np.isfinite(f(jnp.array([2.0]))).all()
    with pytest.raises(Exception, match="must be > 0"):
        f(jnp.array([-2.0])).block_until_ready()


def test_missing_parameter():
    c = Cluster([0.5, 0.5, 1], {"J1": [(0, 1)], "J2": [(1, 2)]})
    with pytest.raises(ParameterError, match=r"lacks \['J2'\].*needs \['J1', 'J2', 'g'\]"):
        c.susceptibility({"J1": 1.0, "g": 2.0}, [1.0])


def test_field_dependent_thermo_off_the_multiplet_path():
    """C(T, B) on the S^z-blocks route (one field per call) equals the multiplet route's
    when the two g values are equal (different diagonalisations: blocks vs sectors)."""
    c = Cluster([0.5, 1], DIMER, g_groups={"g_a": [0], "g_b": [1]})
    with pytest.raises(ClusterError, match="one field value"):
        c.heat_capacity({"J": 1.0, "g_a": 2.0, "g_b": 2.0}, [1.0], field=[1.0, 2.0])
    ref = Cluster([0.5, 1], DIMER)
    t = np.array([0.7, 3.0, 20.0])
    np.testing.assert_allclose(
        c.heat_capacity({"J": 1.0, "g_a": 2.1, "g_b": 2.1}, t, field=2.5),
        ref.heat_capacity({"J": 1.0, "g": 2.1}, t, field=2.5),
        rtol=1e-10,
    )
    with pytest.raises(ClusterError, match="saturation_field needs"):
        c.saturation_field({"J": 1.0, "g_a": 2.0, "g_b": 2.0})
