"""The chunked, rematerialised field map (``bayesfit.spin._fieldmap``) against a plain
``lax.map``: same value, same gradient (rtol 1e-10), whichever residuals the backward pass
keeps (the eigenvectors, or nothing), on the powder and the blocks routes."""

import functools
from unittest import mock

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from bayesfit.spin import Cluster, _anisotropic, _blocks, _fieldmap

BONDS = {"J1": [(0, 1), (1, 2)], "J2": [(0, 2)]}
B = np.linspace(0.5, 40.0, 11)[None, :]
T = np.array([1.5, 6.0, 30.0])[:, None]
CASES = {
    "powder": (
        [1, 0.5, 1],
        {"anisotropy": {"D": [0, 2]}, "powder_points": 3},
        {"J1": 7.0, "J2": -2.0, "D": 3.0, "g": 2.05},
    ),
    "blocks": (
        [1, 0.5, 1],
        {"g_groups": {"ga": [0, 2], "gb": [1]}},
        {"J1": 7.0, "J2": -2.0, "ga": 2.05, "gb": 2.2},
    ),
}


def _plain(one, xs, batch_size, vector_bytes):
    return jax.lax.map(one, xs, batch_size=min(batch_size, jax.tree.leaves(xs)[0].shape[0]))


def _value_and_grad(path):
    spins, kw, p = CASES[path]
    c = Cluster(spins, BONDS, **kw)  # fresh: its jitted methods trace under the patch
    assert c.path == path

    def f(q):
        return jnp.sum(c.magnetization(q, B, T) ** 2) + jnp.sum(jnp.log(c.susceptibility(q, T)))

    p = {k: jnp.asarray(v) for k, v in p.items()}
    return jax.jit(jax.value_and_grad(f))(p)


@functools.cache
def _reference(path):
    """The value and gradient through a plain ``lax.map`` (computed once per route)."""
    with mock.patch.object(_anisotropic, "map_fields", _plain), \
            mock.patch.object(_blocks, "map_fields", _plain):
        return _value_and_grad(path)


@pytest.mark.parametrize("path", ["powder", "blocks"])
@pytest.mark.parametrize("budget", [0.0, np.inf], ids=["recompute", "keep vectors"])
def test_rematerialised_map_matches_plain_map(monkeypatch, path, budget):
    ref_v, ref_g = _reference(path)
    monkeypatch.setattr(_fieldmap, "SAVED_VECTORS_BYTES", budget)
    val, grad = _value_and_grad(path)
    assert float(val) == pytest.approx(float(ref_v), rel=1e-10)
    for k in ref_g:
        assert float(grad[k]) == pytest.approx(float(ref_g[k]), rel=1e-10), k
