"""Single crystals and anisotropic Hamiltonians against dense ED written here.

The reference builds the full ``prod(2S+1)`` Hamiltonian with ``numpy.kron`` (complex S^y
included, nothing from ``bayesfit.spin``): exchange ``c J S.S`` in every convention, XXZ
``c [J (SxSx + SySy) + Jz SzSz]``, axial ``D`` and rhombic ``E``, axial g tensors per site,
and the Zeeman term along ``n(theta, phi)``. Observables from it: the moment along the
field (thermal average with eigenvectors), the zero-field susceptibility along ``n`` from
the Kubo sum, C(T, B) from eigenvalues, and orientation averages on a fine sphere grid.
"""

from functools import reduce

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from bayesfit.spin import Cluster, ClusterError

from .helpers import C_CGS, CM_K, MU_B_K
from .test_gradients import finite_difference

PREFACTOR = {"+J": 1.0, "-J": -1.0, "+2J": 2.0, "-2J": -2.0}
SPINS = [1, 0.5, 1]
BONDS = {"Ja": [(0, 1), (1, 2)], "Jb": [(0, 2)]}
GROUPS = {"gM": [0, 2], "gR": [1]}


def local(s):
    m = np.arange(s, -s - 1, -1)
    up = np.diag(np.sqrt(s * (s + 1) - m[1:] * (m[1:] + 1)), 1).astype(complex)
    return (up + up.T) / 2, (up - up.T) / 2j, np.diag(m).astype(complex)


def operators(spins):
    eyes = [np.eye(int(2 * s + 1)) for s in spins]
    out = []
    for i, s in enumerate(spins):
        out.append([reduce(np.kron, eyes[:i] + [o] + eyes[i + 1 :]) for o in local(s)])
    return out


class Reference:
    """Dense H(B, n) for the test cluster; every energy in K."""

    def __init__(self, p, convention, to_k=1.0):
        c = PREFACTOR[convention]
        ops = operators(SPINS)
        dim = ops[0][0].shape[0]
        h = np.zeros((dim, dim), complex)
        for i, j in BONDS["Ja"]:  # XXZ class
            xy = ops[i][0] @ ops[j][0] + ops[i][1] @ ops[j][1]
            h += c * to_k * (p["Ja"] * xy + p["Ja_z"] * ops[i][2] @ ops[j][2])
        for i, j in BONDS["Jb"]:
            h += c * to_k * p["Jb"] * sum(ops[i][a] @ ops[j][a] for a in range(3))
        for i in (0, 2):
            s = SPINS[i]
            sz2 = ops[i][2] @ ops[i][2]
            h += to_k * p["D"] * (sz2 - s * (s + 1) / 3 * np.eye(dim))
            h += to_k * p["E"] * (ops[i][0] @ ops[i][0] - ops[i][1] @ ops[i][1])
        self.h0 = h
        self.g = [(p["gM_par"], p["gM_perp"]), (p["gR"], p["gR"]), (p["gM_par"], p["gM_perp"])]
        self.ops = ops

    def moment_op(self, theta, phi):
        """dH/d(mu_B B) for the field along n(theta, phi) (degrees)."""
        th, ph = np.radians(theta), np.radians(phi)
        n = (np.sin(th) * np.cos(ph), np.sin(th) * np.sin(ph), np.cos(th))
        return sum(
            gpar * n[2] * o[2] + gperp * (n[0] * o[0] + n[1] * o[1])
            for (gpar, gperp), o in zip(self.g, self.ops, strict=True)
        )

    def eig(self, b, theta, phi):
        a = self.moment_op(theta, phi)
        e, v = np.linalg.eigh(self.h0 + MU_B_K * b * a)
        return e - e.min(), v, a

    def moment(self, b, t, theta, phi):
        e, v, a = self.eig(b, theta, phi)
        p = np.exp(-e / t)
        return -np.real(np.einsum("in,ij,jn->n", v.conj(), a, v)) @ p / p.sum()

    def chi(self, t, theta, phi):
        """Kubo: C sum_nm |A_nm|^2 K(E_n, E_m) / Z (emu/mol per cluster)."""
        e, v, a = self.eig(0.0, theta, phi)
        amn = np.abs(v.conj().T @ a @ v) ** 2
        x, y = np.meshgrid(e, e, indexing="ij")
        gap = y - x
        with np.errstate(divide="ignore", invalid="ignore"):
            k = np.where(
                np.abs(gap) > 1e-9 * t,
                (np.exp(-x / t) - np.exp(-y / t)) / np.where(gap == 0, 1, gap),
                np.exp(-x / t) / t,
            )
        return C_CGS * np.sum(amn * k) / np.exp(-e / t).sum()

    def heat_capacity(self, t, b, theta, phi):
        e = self.eig(b, theta, phi)[0]
        p = np.exp(-e / t)
        p /= p.sum()
        return (p @ e**2 - (p @ e) ** 2) / t**2


def make(convention, unit="K", points=8, rhombic=True, **kw):
    return Cluster(
        SPINS,
        BONDS,
        convention=convention,
        energy_unit=unit,
        g_groups=GROUPS,
        anisotropy={"D": [0, 2]},
        rhombic={"E": [0, 2]} if rhombic else None,
        axial_g=["gM"],
        xxz=["Ja"],
        powder_points=points,
        **kw,
    )


P = {
    "Ja": 6.0,
    "Ja_z": 9.0,
    "Jb": -3.0,
    "D": 4.0,
    "E": 1.1,
    "gM_par": 2.25,
    "gM_perp": 2.1,
    "gR": 2.0,
}
T = np.array([1.5, 6.0, 40.0])
B = np.array([0.5, 5.0, 30.0])


@pytest.mark.parametrize(
    ("convention", "unit", "direction"),
    [
        ("-2J", "K", "z"),
        ("+J", "K", "x"),
        ("-J", "cm-1", "y"),
        ("+2J", "K", (35.0, 0.0)),
        ("-2J", "K", (70.0, 90.0)),
    ],
)
def test_single_crystal_matches_dense(convention, unit, direction):
    c = make(convention, unit)
    assert c.path == "powder"
    assert set(c.parameter_names) == set(P)
    ref = Reference(P, convention, CM_K if unit == "cm-1" else 1.0)
    angles = {"z": (0, 0), "x": (90, 0), "y": (90, 90)}.get(direction, direction)
    m = np.asarray(c.magnetization(P, B[:, None], T[None, :], direction=direction))
    m_ref = np.array([[ref.moment(b, t, *angles) for t in T] for b in B])
    np.testing.assert_allclose(m, m_ref, rtol=1e-9, atol=1e-12)
    chi = np.asarray(c.susceptibility(P, T, direction=direction))
    np.testing.assert_allclose(chi, [ref.chi(t, *angles) for t in T], rtol=1e-8)
    cb = np.asarray(c.heat_capacity(P, T, field=3.0, direction=direction, units="R"))
    np.testing.assert_allclose(cb, [ref.heat_capacity(t, 3.0, *angles) for t in T], rtol=1e-9)


def test_powder_averages_match_a_sphere_grid():
    """Without E the azimuth is irrelevant: powder M and C(T, B) against a (theta, phi) grid
    of the dense reference; with E, chi (zero field) is the trace / 3 over x, y, z."""
    p = dict(P, E=0.0)
    c = make("-2J", points=10, rhombic=False)
    ref = Reference(p, "-2J")
    p.pop("E")
    x, w = np.polynomial.legendre.leggauss(24)  # cos(theta) in [-1, 1]
    phis = np.array([0.0, 50.0, 130.0])  # any azimuth gives the same moment here

    def sphere(fn):
        vals = [[fn(np.degrees(np.arccos(u)), ph) for u in x] for ph in phis]
        per_phi = 0.5 * np.asarray(vals) @ w
        np.testing.assert_allclose(per_phi, per_phi[0], rtol=1e-10)
        return per_phi[0]

    m = np.asarray(c.magnetization(p, B, 2.0))
    m_ref = [sphere(lambda th, ph, b=b: ref.moment(b, 2.0, th, ph)) for b in B]
    np.testing.assert_allclose(m, m_ref, rtol=1e-8)
    cb = np.asarray(c.heat_capacity(p, T, field=4.0, units="R"))
    cb_ref = [sphere(lambda th, ph, t=t: ref.heat_capacity(t, 4.0, th, ph)) for t in T]
    np.testing.assert_allclose(cb, cb_ref, rtol=1e-8)
    c = make("-2J")
    ref_e = Reference(P, "-2J")
    chi = np.asarray(c.susceptibility(P, T))
    chi_ref = [np.mean([ref_e.chi(t, *a) for a in ((0, 0), (90, 0), (90, 90))]) for t in T]
    np.testing.assert_allclose(chi, chi_ref, rtol=1e-8)
    with pytest.raises(ClusterError, match="azimuth"):
        c.magnetization(P, B, 2.0, direction=(40.0, 30.0))
    with pytest.raises(ClusterError, match="powder average in a field"):
        c.magnetization(P, B, 2.0)


def test_crystal_gradients_match_finite_differences():
    c = make("+J")

    def f(p):
        total = jnp.sum(jnp.log(c.susceptibility(p, T, direction="y")))
        total += jnp.sum(c.magnetization(p, B, 2.5, direction=(35.0, 0.0)))
        total += jnp.sum(c.susceptibility(p, T, field=1.0, direction="x", units="emu K/mol"))
        return total + 0.1 * jnp.sum(c.heat_capacity(p, T, field=3.0, direction="z"))

    grad = jax.jit(jax.grad(f))(P)
    fd = finite_difference(jax.jit(f), P)
    for k in P:
        assert float(grad[k]) == pytest.approx(fd[k], rel=2e-5, abs=1e-8), k


def test_axis_names_and_errors():
    c = make("-J")
    assert c.parameter_names == ("Ja", "Jb", "Ja_z", "gM_par", "gM_perp", "gR", "D", "E")
    with pytest.raises(ClusterError, match="direction"):
        c.susceptibility(P, T, direction="w")
    with pytest.raises(ClusterError, match="not a coupling"):
        Cluster(SPINS, BONDS, xxz=["Jc"])
    with pytest.raises(ClusterError, match="not g groups"):
        Cluster(SPINS, BONDS, axial_g=["g_x"])
    with pytest.raises(ClusterError, match="spin-1/2"):
        Cluster(SPINS, BONDS, rhombic={"E": [1]})
    iso = Cluster(SPINS, BONDS)  # isotropic: every direction gives the same chi
    q = {"Ja": 6.0, "Jb": -3.0, "g": 2.1}
    np.testing.assert_allclose(
        iso.susceptibility(q, T, direction=(20.0, 10.0)), iso.susceptibility(q, T), rtol=1e-12
    )


def test_example_model_file_two_axes():
    """The shipped single-crystal example: its three synthetic datasets are consistent with
    the parameters they were made with (chi^2 per point ~ 1), and swapping g_par and g_perp
    (the direction keys ignored or mixed up) makes the fit much worse."""
    from pathlib import Path

    from bayesfit.errors import ModelFileError
    from bayesfit.io import load_model
    from bayesfit.spin.kernel import build

    root = Path(__file__).resolve().parents[2]
    spec = load_model(root / "models" / "examples" / "crystal_dimer.toml")
    truth = {"J": -2.6, "g_par": 2.31, "g_perp": 2.09}
    swapped = dict(truth, g_par=2.09, g_perp=2.31)
    chi2 = {"truth": 0.0, "swapped": 0.0}
    n = 0
    for d in spec.datasets:
        table = d.read()
        x, y = table.column(d.x), table.column(d.y)
        sd = float(d.simulate["noise"])
        for key, p in (("truth", truth), ("swapped", swapped)):
            chi2[key] += float(np.sum(((np.asarray(d.model.fn(p, x)) - y) / sd) ** 2))
        n += x.size
    assert 0.6 < chi2["truth"] / n < 1.5
    assert chi2["swapped"] / n > 20
    kernel = build(
        {
            "spins": [1, 1],
            "bonds": {"J": [[0, 1]]},
            "convention": "+J",
            "energy_unit": "K",
            "rhombic": {"E": [0, 1]},
        },
        where="m.toml",
    )
    with pytest.raises(ModelFileError, match="m.toml: .*azimuth"):
        kernel.dataset_model(
            {"observable": "magnetization", "temperature_K": 2.0, "direction": [30, 45]},
            where="m.toml",
        )
    with pytest.raises(ModelFileError, match="direction"):
        kernel.dataset_model({"observable": "susceptibility", "direction": "q"}, where="m.toml")
