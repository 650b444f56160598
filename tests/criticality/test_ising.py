"""Swendsen-Wang Ising kernel against exact enumeration of the 4 x 4 torus (2^16 states)."""

import itertools

import numpy as np
import pytest

import bayesfit  # noqa: F401  (float64)
from bayesfit.criticality import ising_observables, simulate_ising
from bayesfit.criticality._ising import cluster_labels


def _exact_4x4(temperature):
    """Boltzmann averages over all 2^16 configurations, written independently of the kernel."""
    size = 4
    configs = np.array(list(itertools.product([-1, 1], repeat=size * size)), dtype=float)
    s = configs.reshape(-1, size, size)
    energy = -(s * np.roll(s, -1, axis=2) + s * np.roll(s, -1, axis=1)).sum(axis=(1, 2))
    m = s.sum(axis=(1, 2)) / size**2
    w = np.exp(-(energy - energy.min()) / temperature)
    w /= w.sum()
    return {"energy": w @ energy / size**2, "abs_m": w @ np.abs(m), "m2": w @ m**2,
            "m4": w @ m**4}


@pytest.mark.parametrize("temperature", [1.8, 2.269, 3.0])
def test_swendsen_wang_matches_exact_enumeration(temperature):
    series = simulate_ising(4, [temperature], 4000, n_replicas=8, n_thermalise=50, seed=3)
    obs = ising_observables(series)
    exact = _exact_4x4(temperature)
    for name, value in exact.items():
        est = getattr(obs, name)[0]
        err = getattr(obs, "d" + name)[0]
        assert err > 0
        assert abs(est - value) < 4.5 * err, (name, est, value, err)
        assert err < 0.03 * max(abs(value), 0.1)  # precise enough to fail


def test_cluster_labels_against_breadth_first_search():
    rng = np.random.default_rng(0)
    size = 7
    br = rng.random((size, size)) < 0.45
    bd = rng.random((size, size)) < 0.45
    lab = np.asarray(cluster_labels(br, bd))
    # independent route: BFS over the same periodic bond graph
    comp = -np.ones((size, size), int)
    c = 0
    for i0, j0 in itertools.product(range(size), range(size)):
        if comp[i0, j0] >= 0:
            continue
        stack = [(i0, j0)]
        comp[i0, j0] = c
        while stack:
            i, j = stack.pop()
            nbrs = []
            if br[i, j]:
                nbrs.append((i, (j + 1) % size))
            if br[i, (j - 1) % size]:
                nbrs.append((i, (j - 1) % size))
            if bd[i, j]:
                nbrs.append(((i + 1) % size, j))
            if bd[(i - 1) % size, j]:
                nbrs.append(((i - 1) % size, j))
            for a in nbrs:
                if comp[a] < 0:
                    comp[a] = c
                    stack.append(a)
        c += 1
    # same partition: labels and components determine each other
    pairs = set(zip(lab.ravel().tolist(), comp.ravel().tolist(), strict=False))
    assert len(pairs) == c == len(set(lab.ravel().tolist()))
