"""Autodiff gradients against central finite differences, for every parameter.

The clusters have exact SU(2) degeneracies (every multiplet is 2S+1-fold) and, for the
square ring, degenerate multiplets inside one total-spin sector (momenta +-pi/2); the
objective mixes every observable and every additive term.
"""

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from bayesfit.spin import Cluster

T = jnp.array([0.8, 4.0, 25.0, 120.0])
B = jnp.array([0.7, 6.0, 30.0])


def objective(c, extra=True):
    """Every observable (``extra``) or the ones a fit uses: chi, M(B), C."""

    def f(p):
        total = jnp.sum(jnp.log(c.susceptibility(p, T)))
        total += jnp.sum(c.magnetization(p, B, 2.5))
        total += 1e-2 * jnp.sum(c.heat_capacity(p, T))
        if extra:
            total += jnp.sum(c.susceptibility(p, T, field=0.5, units="emu K/mol"))
            total += jnp.sum(c.magnetization(p, B, 9.0)) + 1e-2 * jnp.sum(c.entropy(p, T))
            total += jnp.sum(c.heat_capacity(p, T, field=3.0))
            total += sum(c.bond_correlations(p, 5.0).values())
        return total

    return f


def finite_difference(f, p, rel=1e-3):
    """Fourth-order central differences (error O(h^4), rounding noise ~ eps |f| / h)."""
    out = {}
    for k, v in p.items():
        h = rel * max(1e-2, abs(v))

        def at(x, k=k):
            q = dict(p)
            q[k] = x
            return float(f(q))

        out[k] = (8 * (at(v + h) - at(v - h)) - (at(v + 2 * h) - at(v - 2 * h))) / (12 * h)
    return out


def check(c, p, extra=True, rtol=2e-5):
    f = jax.jit(objective(c, extra))
    grad = jax.jit(jax.grad(objective(c, extra)))(p)
    fd = finite_difference(f, p)
    for k in p:
        assert np.isfinite(float(grad[k])), k
        assert float(grad[k]) == pytest.approx(fd[k], rel=rtol, abs=1e-8), k


def test_square_ring_with_additive_terms():
    ring = {"J1": [(0, 1), (1, 2), (2, 3), (3, 0)], "J2": [(0, 2), (1, 3)]}
    c = Cluster([0.5] * 4, ring, convention="-2J", energy_unit="meV", formula_units=2)
    assert c.path == "multiplet"
    p = {
        "J1": -0.9,
        "J2": -0.2,
        "g": 2.1,
        "chi0": 2e-4,
        "rho_imp": 0.03,
        "theta_imp": -0.4,
        "theta": -0.7,
        "zJ": -0.05,
        "g_imp": 2.0,
    }
    check(c, p)


def test_mixed_cluster_multiplet_path():
    bonds = {"Ja": [(0, 1), (1, 2)], "Jb": [(2, 3)], "Jc": [(0, 3), (1, 3)]}
    c = Cluster([1, 0.5, 1.5, 0.5], bonds, convention="+J", energy_unit="cm-1")
    check(c, {"Ja": 7.0, "Jb": -4.0, "Jc": 2.5, "g": 1.98}, extra=False)


def test_unequal_g_blocks_path():
    bonds = {"J1": [(0, 1), (1, 2), (2, 3), (3, 0)], "J2": [(0, 2)]}
    c = Cluster([0.5, 1, 0.5, 1], bonds, g_groups={"g_cu": [0, 2], "g_ni": [1, 3]})
    assert c.path == "blocks"
    check(c, {"J1": 6.0, "J2": 2.0, "g_cu": 2.15, "g_ni": 2.25, "chi0": 1e-4}, extra=False)


def test_anisotropic_powder_path():
    c = Cluster(
        [1, 1, 0.5], {"J": [(0, 1)], "Jp": [(1, 2)]}, anisotropy={"D": [0, 1]}, powder_points=6
    )
    assert c.path == "powder"
    check(c, {"J": 5.0, "Jp": -3.0, "D": 4.0, "g": 2.05}, extra=False)


def test_vmap_over_parameter_sets_matches_loop():
    c = Cluster([0.5] * 4, {"J": [(0, 1), (1, 2), (2, 3), (3, 0)]})
    batch = {"J": jnp.array([3.0, 8.0, -2.0]), "g": jnp.array([2.0, 2.1, 1.9])}
    one = jax.value_and_grad(objective(c, extra=False))
    vals, grads = jax.jit(jax.vmap(one))(batch)
    one = jax.jit(one)
    for k in range(3):
        p = {n: v[k] for n, v in batch.items()}
        v, g = one(p)
        assert float(vals[k]) == pytest.approx(float(v), rel=1e-12)
        assert float(grads["J"][k]) == pytest.approx(float(g["J"]), rel=1e-10)
