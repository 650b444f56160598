"""Clebsch-Gordan coefficients and the highest-weight basis of the multiplet route.

Independent routes: tabulated coefficients (Condon-Shortley phases), the orthogonality
relation, and the kernel of the total S^+ built from the Kronecker-product operators of
``helpers`` (S^+ = S^x + i S^y).
"""

from math import sqrt

import numpy as np
import pytest

from bayesfit.spin._coupling import clebsch_gordan, highest_weight_states

from .helpers import site_operators

# (2j1, 2m1, 2j2, 2m2, 2J, 2M) -> value, from standard tables
TABLE = {
    (1, 1, 1, -1, 2, 0): sqrt(1 / 2),
    (1, 1, 1, -1, 0, 0): sqrt(1 / 2),
    (1, -1, 1, 1, 0, 0): -sqrt(1 / 2),
    (2, 2, 2, -2, 0, 0): sqrt(1 / 3),
    (2, 0, 2, 0, 0, 0): -sqrt(1 / 3),
    (2, 2, 1, -1, 1, 1): sqrt(2 / 3),
    (2, 0, 1, 1, 1, 1): -sqrt(1 / 3),
    (2, 2, 2, 0, 2, 2): sqrt(1 / 2),
    (2, 0, 2, 0, 4, 0): sqrt(2 / 3),
    (3, 1, 1, 1, 2, 2): -sqrt(1 / 4),
}


@pytest.mark.parametrize("args,value", list(TABLE.items()))
def test_tabulated_values(args, value):
    assert clebsch_gordan(*args) == pytest.approx(value, abs=1e-14)


@pytest.mark.parametrize("tj1,tj2", [(1, 1), (2, 3), (5, 4)])
def test_orthogonality(tj1, tj2):
    pairs = [(a, b) for a in range(-tj1, tj1 + 1, 2) for b in range(-tj2, tj2 + 1, 2)]
    states = [
        (tj, tm) for tj in range(abs(tj1 - tj2), tj1 + tj2 + 1, 2) for tm in range(-tj, tj + 1, 2)
    ]
    u = np.array([[clebsch_gordan(tj1, a, tj2, b, tj, tm) for a, b in pairs] for tj, tm in states])
    np.testing.assert_allclose(u @ u.T, np.eye(len(states)), atol=1e-13)


@pytest.mark.parametrize("spins", [[0.5, 1, 1.5], [1, 0.5, 0.5, 2.5], [0.5] * 6])
def test_highest_weight_basis_spans_kernel_of_splus(spins):
    ops = site_operators(spins)
    splus = sum(o[0] + 1j * o[1] for o in ops)
    sz = np.real(np.diag(sum(o[2] for o in ops)))
    index, states = highest_weight_states(tuple(int(2 * s) for s in spins))
    total = 0
    for two_s, q in states.items():
        idx = index[two_s]
        np.testing.assert_allclose(sz[idx], two_s / 2)  # block M = S
        full = np.zeros((sz.size, q.shape[1]))
        full[idx] = q
        np.testing.assert_allclose(full.T @ full, np.eye(q.shape[1]), atol=1e-12)
        assert np.abs(splus @ full).max() < 1e-12  # highest weights: S^+ |S S> = 0
        total += q.shape[1] * (two_s + 1)
    assert total == sz.size  # every state belongs to one (2S+1)-fold multiplet
