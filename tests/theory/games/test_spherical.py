"""Spherical bilinear game: the min-max and max-min closed forms against exact values of
sampled matrices computed here by SVD (spec Sec. 3.1)."""

import numpy as np
import pytest

from bayesfit.theory import games


def _exact(A):
    """(min-max, max-min) / N of x^T A y / sqrt(N) on ||x||^2 = N, ||y||^2 = M.

    max_y = sqrt(M/N) ||A^T x||: its minimum over the x-sphere is sqrt(M) s_min(A^T) on
    R^N (zero if N > M); symmetrically for max-min.
    """
    N, M = A.shape
    s = np.linalg.svd(A, compute_uv=False)
    minmax = np.sqrt(M) * (s[-1] if N <= M else 0.0)
    maxmin = -np.sqrt(M) * (s[-1] if M <= N else 0.0)
    return minmax / N, maxmin / N


@pytest.mark.parametrize("N, M", [(400, 800), (800, 400), (250, 1000)])
def test_closed_forms_match_svd(N, M):
    rng = np.random.default_rng(N + M)
    vals = np.array([_exact(rng.standard_normal((N, M))) for _ in range(3)])
    gamma = M / N
    # finite-N edge fluctuations push the smallest singular value up by O(N^-2/3)
    assert vals[:, 0].mean() == pytest.approx(
        float(games.spherical_minmax(gamma)), rel=0.04, abs=0.03
    )
    assert vals[:, 1].mean() == pytest.approx(float(games.spherical_maxmin(gamma)), abs=0.01)


def test_spec_values_and_the_gap():
    assert float(games.spherical_minmax(2.0)) == pytest.approx(0.586, abs=1e-3)
    assert float(games.spherical_maxmin(0.5)) == pytest.approx(-0.207, abs=1e-3)
    assert float(games.spherical_minmax(0.5)) == 0.0 and float(games.spherical_maxmin(2.0)) == 0.0
    g = np.array([0.3, 1.0, 3.0])
    assert np.all(np.asarray(games.duality_gap(g)) >= 0)
    assert float(games.duality_gap(1.0)) == 0.0
