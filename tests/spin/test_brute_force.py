"""Random mixed-spin clusters: every observable against dense ED of the full space.

The reference (``helpers.Dense``) builds the full Hamiltonian from Kronecker products with
complex S^y, diagonalises it with no symmetry, and gets chi and M from finite differences
of ln Z in the field and powder averages from its own quadrature over the full sphere.
"""

import numpy as np
import pytest

from bayesfit.spin import Cluster

from .helpers import CM_K, NA_MUB, Dense, R, powder

T = np.array([0.7, 3.0, 11.0, 40.0, 150.0])


def random_cluster(seed, spins, n_classes=3):
    rng = np.random.default_rng(seed)
    n = len(spins)
    pairs = [(i, j) for i in range(n) for j in range(i + 1, n)]
    rng.shuffle(pairs)
    pairs = pairs[: min(len(pairs), n + 1)]
    classes = {f"J{k + 1}": [] for k in range(n_classes)}
    for k, pair in enumerate(pairs):
        classes[f"J{k % n_classes + 1}"].append(tuple(int(s) for s in pair))
    values = {name: float(rng.uniform(-25, 25)) for name in classes}
    return classes, values


def dense_for(spins, classes, values, c, unit_k, **kw):
    bonds = {pair: c * unit_k * values[name] for name, ps in classes.items() for pair in ps}
    return Dense(spins, bonds, **kw)


@pytest.mark.parametrize(
    "seed,spins", [(1, [0.5, 1, 1.5, 0.5]), (2, [1, 0.5, 2.5]), (3, [0.5, 0.5, 1, 0.5, 0.5])]
)
def test_multiplet_path_matches_dense(seed, spins):
    classes, values = random_cluster(seed, spins)
    c = Cluster(spins, classes, convention="-2J", energy_unit="cm-1", formula_units=2)
    assert c.path == "multiplet"
    p = dict(values, g=2.05)
    ref = dense_for(spins, classes, values, -2.0, CM_K, g=2.05)
    # spectrum: every multiplet (2S+1) times reproduces the full dense spectrum
    spec = c.spectrum(p)
    expanded = np.repeat(np.asarray(spec.energy), np.asarray(spec.degeneracy).astype(int))
    np.testing.assert_allclose(np.sort(expanded) * CM_K, ref.levels(), atol=1e-9)
    e = ref.levels()
    assert float(c.gap(p)) * CM_K == pytest.approx(np.min(e[e > e[0] + 1e-8]) - e[0], rel=1e-9)
    chi_ref = np.array([ref.chi(t) for t in T]) / 2
    np.testing.assert_allclose(c.susceptibility(p, T), chi_ref, rtol=1e-5)
    b = np.array([0.3, 2.0, 9.0, 35.0])
    for t in (1.3, 20.0):
        m_ref = np.array([ref.moment(bb, t) for bb in b]) / 2
        np.testing.assert_allclose(c.magnetization(p, b, t), m_ref, rtol=1e-6, atol=1e-9)
        np.testing.assert_allclose(
            c.magnetization(p, b, t, units="emu/mol"), NA_MUB * m_ref, rtol=1e-5
        )
    chi_1t = np.array([ref.moment(1.0, t) for t in T]) * NA_MUB / 1e4 / 2
    np.testing.assert_allclose(c.susceptibility(p, T, field=1.0), chi_1t, rtol=1e-6)
    np.testing.assert_allclose(
        c.heat_capacity(p, T),
        R * np.array([ref.heat_capacity(t) for t in T]) / 2,
        rtol=1e-8,
        atol=1e-12,
    )
    np.testing.assert_allclose(
        c.entropy(p, T), R * np.array([ref.entropy(t) for t in T]) / 2, rtol=1e-8, atol=1e-12
    )
    np.testing.assert_allclose(
        c.heat_capacity(p, T, field=7.0),
        R * np.array([ref.heat_capacity(t, b=7.0) for t in T]) / 2,
        rtol=1e-8,
        atol=1e-12,
    )


def _dense_correlations(spins, ref, classes, t=None):
    w, v = np.linalg.eigh(ref.h0)
    if t is None:
        p = (w - w[0] < 1e-8).astype(float)
    else:
        p = np.exp(-(w - w[0]) / t)
    p /= p.sum()
    out = {}
    for name, pairs in classes.items():
        vals = []
        for i, j in pairs:
            op = sum(ref.ops[i][a] @ ref.ops[j][a] for a in range(3))
            vals.append(np.real(np.einsum("n,in,ij,jn->", p, v.conj(), op, v)))
        out[name] = np.mean(vals)
    return out


def test_bond_correlations_match_dense():
    spins = [0.5, 1, 1.5, 0.5]
    classes, values = random_cluster(7, spins)
    c = Cluster(spins, classes, convention="+J")
    p = dict(values, g=2.0)
    ref = dense_for(spins, classes, values, 1.0, 1.0)
    for t in (None, 5.0):
        got = c.bond_correlations(p, t)
        want = _dense_correlations(spins, ref, classes, t)
        for name in classes:
            assert float(got[name]) == pytest.approx(want[name], abs=1e-9)


def test_unequal_g_blocks_match_dense():
    spins = [0.5, 1, 0.5, 1]
    classes, values = random_cluster(4, spins)
    c = Cluster(spins, classes, convention="+J", g_groups={"g_a": [0, 2], "g_b": [1, 3]})
    assert c.path == "blocks"
    p = dict(values, g_a=2.2, g_b=1.9)
    ref = dense_for(spins, classes, values, 1.0, 1.0, g=[2.2, 1.9, 2.2, 1.9])
    np.testing.assert_allclose(c.susceptibility(p, T), [ref.chi(t) for t in T], rtol=1e-5)
    b = np.array([0.5, 4.0, 20.0])
    np.testing.assert_allclose(
        c.magnetization(p, b, 2.5), [ref.moment(bb, 2.5) for bb in b], rtol=1e-6, atol=1e-9
    )
    np.testing.assert_allclose(
        c.heat_capacity(p, T),
        R * np.array([ref.heat_capacity(t) for t in T]),
        rtol=1e-8,
        atol=1e-12,
    )


def test_anisotropic_powder_matches_dense():
    spins = [1, 1.5, 0.5]
    classes = {"J1": [(0, 1)], "J2": [(1, 2), (0, 2)]}
    values = {"J1": 4.0, "J2": -2.5}
    c = Cluster(
        spins, classes, convention="+J", anisotropy={"D1": [0], "D2": [1]}, powder_points=24
    )
    assert c.path == "powder"
    p = dict(values, g=2.0, D1=6.0, D2=-3.0)
    ref = dense_for(spins, classes, values, 1.0, 1.0, d={0: 6.0, 1: -3.0})
    np.testing.assert_allclose(
        c.susceptibility(p, T), [powder(lambda th, t=t: ref.chi(t, th)) for t in T], rtol=1e-5
    )
    b = np.array([0.5, 5.0, 25.0])
    want = [powder(lambda th, bb=bb: ref.moment(bb, 2.0, th)) for bb in b]
    np.testing.assert_allclose(c.magnetization(p, b, 2.0), want, rtol=1e-5)
    np.testing.assert_allclose(
        c.heat_capacity(p, T),
        R * np.array([ref.heat_capacity(t) for t in T]),
        rtol=1e-8,
        atol=1e-12,
    )
    spec = c.spectrum(p)
    np.testing.assert_allclose(np.asarray(spec.energy), ref.levels(), atol=1e-9)
