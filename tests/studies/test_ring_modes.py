"""A six-centre mixed-spin ring (S = 1 and S = 1/2 alternating) with mirror modes.

The ring M-R-M-R-M-R with alternating couplings J1 (M0-R1, M2-R3, M4-R5) and J2 (R1-M2,
R3-M4, R5-M0) has an exact symmetry (the reflection through sites 0 and 3) that swaps J1
and J2: chi*T cannot tell (J1, J2) from (J2, J1). The data are made by the dense-ED
reference of the test suite (``tests/spin/helpers.py``), -2J convention, J1 = -92 K,
J2 = -111 K (the values of the issue's ring), g = 2 known.

Checks: the symmetry is found (and is exact: the dense spectra agree); with unequal
Gaussian priors the two mirror optima have a known, unequal posterior weight, computed
here by brute-force integration on a grid, which the Laplace weights reproduce; draws are
assigned to the right optimum; the mode-resolved summary gives each mode's values (never
their average); the ordering constraint J2 <= J1 leaves a single-mode posterior.
"""

from __future__ import annotations

import functools
import warnings

import jax
import jax.numpy as jnp
import numpy as np
import numpyro.distributions as dist
import pytest

import bayesfit as bf
from bayesfit.inference._optima import add_sampled_weights
from bayesfit.results import mode_summary, optima_table
from bayesfit.results._optima import format_optima
from bayesfit.spin import Cluster, cluster_symmetries, coupling_renamings, exchangeable_couplings
from tests.spin.helpers import Dense

SPINS = [1, 0.5, 1, 0.5, 1, 0.5]
BONDS = {"J1": [(0, 1), (2, 3), (4, 5)], "J2": [(1, 2), (3, 4), (5, 0)]}
TRUE = {"J1": -92.0, "J2": -111.0}
G = 2.0
T = np.geomspace(4.0, 300.0, 14)
SIGMA = 0.004  # emu K/mol


def _dense(j1, j2, g=G):
    bonds = {p: -2.0 * j1 for p in BONDS["J1"]} | {p: -2.0 * j2 for p in BONDS["J2"]}
    return Dense(SPINS, bonds, g=g)


@functools.cache
def _setup():
    cluster = Cluster(SPINS, BONDS, convention="-2J", energy_unit="K")
    dense = _dense(TRUE["J1"], TRUE["J2"])
    y = np.array([dense.chi(t) * t for t in T])
    y = y + SIGMA * np.random.default_rng(11).standard_normal(y.shape)
    data = bf.Dataset(T, y, sigma=SIGMA, name="chiT", units={"x": "K", "y": "emu K/mol"},
                      model=lambda p, x: cluster.susceptibility(p, x, units="emu K/mol"))
    return cluster, data


def _problem(priors, **kw):
    cluster, data = _setup()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", bf.core.ExchangeableWarning)
        return bf.Problem({**priors, "g": G}, data, units={"J1": "K", "J2": "K"},
                          symmetries=coupling_renamings(cluster.spec), **kw)


# unequal priors: the mirror modes have a known, unequal weight (about 0.7 : 0.3)
PRIORS = {"J1": dist.Normal(-95.0, 15.0), "J2": dist.Normal(-105.0, 15.0)}


@functools.cache
def _map_fit():
    return bf.fit(_problem(PRIORS), bf.MAP(restarts=8), draws=50, seed=3, progress=False,
                  predictive=False)


def test_the_swap_is_found_and_exact():
    cluster, _ = _setup()
    syms = cluster_symmetries(cluster.spec)
    assert [s.couplings for s in syms] == [{"J1": "J2", "J2": "J1"}]
    assert exchangeable_couplings(cluster.spec) == [["J1", "J2"]]
    # independent check: the dense spectra of (J1, J2) and (J2, J1) agree, in a field too
    a, b = _dense(-92.0, -111.0), _dense(-111.0, -92.0)
    np.testing.assert_allclose(a.levels(3.0, 0.4), b.levels(3.0, 0.4), atol=1e-9)
    # a ring whose bond classes are not exchangeable has no such symmetry
    split = Cluster(SPINS, {"J1": BONDS["J1"], "J2": BONDS["J2"][:2], "J3": BONDS["J2"][2:]},
                    convention="-2J", energy_unit="K")
    assert exchangeable_couplings(split.spec) == []


def _grid_mass(problem, centre, sd, n=41, width=7.0):
    """Posterior mass near ``centre`` by a trapezoid rule on a (J1, J2) grid."""
    g1 = np.linspace(centre[0] - width * sd[0], centre[0] + width * sd[0], n)
    g2 = np.linspace(centre[1] - width * sd[1], centre[1] + width * sd[1], n)
    A, B = np.meshgrid(g1, g2, indexing="ij")
    lp = jax.jit(jax.vmap(lambda a, b: problem.log_posterior({"J1": a, "J2": b})))(
        jnp.asarray(A.ravel()), jnp.asarray(B.ravel()))
    return np.asarray(lp).reshape(A.shape), g1, g2


def test_both_mirror_optima_found_with_their_weights():
    r = _map_fit()
    table = optima_table(r)
    proper = table[table["laplace_weight"] > 1e-6]
    assert len(proper) == 2
    modes = proper[["J1", "J2"]].to_numpy()
    want = np.array([[TRUE["J1"], TRUE["J2"]], [TRUE["J2"], TRUE["J1"]]])
    # the better mode is the one the priors favour, i.e. the generating one
    np.testing.assert_allclose(modes, want, atol=6.0)
    assert int(proper["mirror_of"].iloc[1]) == int(proper.index[0])
    # brute force: the mass of each mode on a grid in natural units
    g = r.tree["optima"].to_dataset()
    problem = _problem(PRIORS)
    logs, grids = [], []
    for k in proper.index:
        centre = [float(g["J1"][k]), float(g["J2"][k])]
        sd = [float(g["J1_sd"][k]), float(g["J2_sd"][k])]
        lp, g1, g2 = _grid_mass(problem, centre, sd)
        grids.append((lp, g1, g2))
        logs.append(float(np.max(lp)))
    top = max(logs)
    mass = [np.trapezoid(np.trapezoid(np.exp(lp - top), g2, axis=1), g1)
            for lp, g1, g2 in grids]
    exact = np.array(mass) / sum(mass)
    assert 0.6 < exact[0] < 0.8  # unequal, as designed
    np.testing.assert_allclose(proper["laplace_weight"].to_numpy(), exact, atol=0.02)
    # draws from the grid posteriors, pooled in the exact proportion, are assigned to the
    # optimum they came from: the sampled weights reproduce the exact weights
    rng = np.random.default_rng(0)
    zs = []
    for (lp, g1, g2), w in zip(grids, exact, strict=True):
        p = np.exp(lp - lp.max()).ravel()
        idx = rng.choice(p.size, size=int(round(4000 * w)), p=p / p.sum())
        j1, j2 = g1[idx // g2.size], g2[idx % g2.size]
        zs.append(np.asarray(jax.vmap(lambda a, b: problem.unconstrain({"J1": a, "J2": b}))(
            jnp.asarray(j1), jnp.asarray(j2))))
    z = np.concatenate(zs)[None]
    sub = g.isel(optimum=list(proper.index))
    filled, labels = add_sampled_weights(sub, z)
    np.testing.assert_allclose(filled["sampled_weight"].values, exact, atol=0.02)


def test_mode_resolved_summary_never_averages_mirror_modes():
    r = _map_fit()
    text = format_optima(r)
    assert "J1,J2" in text and "exchangeable" in text
    ms = mode_summary(r)
    table = optima_table(r)
    k0, k1 = table[table["laplace_weight"] > 1e-6].index[:2]
    for k, (a, b) in ((k0, (TRUE["J1"], TRUE["J2"])), (k1, (TRUE["J2"], TRUE["J1"]))):
        j1, j2 = ms.loc[(k, "J1")], ms.loc[(k, "J2")]
        assert abs(j1["mean"] - a) < 4 * j1["sd"] + 1.0
        assert abs(j2["mean"] - b) < 4 * j2["sd"] + 1.0
        # the average of the mirror modes (-101.5 K) is excluded by each mode's interval
        assert not (j1["ci_low"] < -101.5 < j1["ci_high"])
    assert r.tree.attrs["exchangeable_parameters"] == '[["J1", "J2"]]'


def test_ordering_constraint_gives_a_single_mode():
    """With J2 <= J1 (a change of variables, ``bayesfit.core._order``) the multi-start
    search finds one optimum only, the generating one; its Laplace weight is 1. (That every
    sampler respects the constraint is checked in tests/core/test_order.py with NUTS.)"""
    flat = {"J1": dist.Uniform(-250.0, 50.0), "J2": dist.Uniform(-250.0, 50.0)}
    with warnings.catch_warnings():
        warnings.simplefilter("error", bf.core.ExchangeableWarning)  # ordered: no warning
        problem = _problem(flat, order=["J2", "J1"])  # J2 <= J1
    r = bf.fit(problem, bf.MAP(restarts=8), draws=400, seed=5, progress=False,
               predictive=False)
    j1, j2 = r.draws("J1"), r.draws("J2")
    assert np.all(j2 <= j1)
    table = optima_table(r)
    good = table[table["laplace_weight"] > 1e-6]
    assert len(good) == 1 and good["laplace_weight"].iloc[0] == pytest.approx(1.0)
    assert good["starts"].iloc[0] >= 2
    for name in ("J1", "J2"):
        assert abs(good[name].iloc[0] - TRUE[name]) < 6.0, name
    # no optimum anywhere near the mirror image (J1, J2) = (-111, -92)
    assert not np.any((np.abs(table["J1"] - TRUE["J2"]) < 8) & (np.abs(table["J2"] - TRUE["J1"]) < 8))
    assert r.tree.attrs["order"] == '[["J2", "J1"]]'


def test_default_sampler_visits_both_mirror_modes_with_their_weights():
    """REMC with its default reference (stabilized, MAP start) on the ring: the search's
    two optima become a two-component mixture reference, every run visits both modes, and
    the share of draws in each matches its posterior weight (the Laplace weight, equal to
    the brute-force grid weight within 0.02: test above). Five replicas per leg (the pilot
    would choose 5-6 here; fixing it saves the pilot's compilation, half the test's time)."""
    r = bf.fit(_problem(PRIORS), bf.REMC(map_restarts=8, replicas=5), chains=4, draws=400,
               warmup=300, seed=3, progress=False, predictive=False)
    lad = r.tree["ladder"]
    assert lad.sizes["component"] == 2
    opt = r.tree["optima"]
    good = np.flatnonzero(opt["laplace_weight"].values > 1e-6)
    assert len(good) == 2
    laplace = opt["laplace_weight"].values[good]
    sampled = opt["sampled_weight"].values[good]
    err = opt["sampled_weight_err"].values[good]
    assert np.all(np.abs(sampled - laplace) < np.maximum(0.05, 3 * err)), (sampled, laplace)
    # every run visits both modes: the mode share of each run is near the weight
    share = (r.posterior["J1"].values > r.posterior["J2"].values).mean(axis=1)
    assert np.all((share > 0.5) & (share < 0.85)), share
