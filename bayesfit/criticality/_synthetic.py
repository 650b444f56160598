"""Synthetic finite-size data from a known scaling function (for checks and examples)."""

from __future__ import annotations

import numpy as np

from ._table import FSSTable, fss_table


def scaling_function(x):
    """A smooth test scaling function: a peak plus a step, ``exp(-x^2/2) + 0.3 tanh x``."""
    x = np.asarray(x, dtype=np.float64)
    return np.exp(-0.5 * x * x) + 0.3 * np.tanh(x)


def synthetic_fss(sizes=(8, 16, 32), temperatures=None, *, tc=1.0, c1=1.0, c2=0.5,
                  rel_error=0.02, seed=0) -> FSSTable:
    """``A = L^c2 f((T - tc) L^c1) (1 + rel_error * N(0, 1))`` with ``dA = rel_error |A|``
    floored at ``rel_error * L^c2 * 0.1``; ``f`` is :func:`scaling_function`."""
    rng = np.random.default_rng(seed)
    if temperatures is None:
        temperatures = np.linspace(tc - 0.25, tc + 0.25, 12)
    temps = np.asarray(temperatures, dtype=np.float64)
    size, temp = (a.ravel() for a in np.meshgrid(np.asarray(sizes, float), temps,
                                                 indexing="ij"))
    exact = size**c2 * scaling_function((temp - tc) * size**c1)
    err = rel_error * np.maximum(np.abs(exact), 0.1 * size**c2)
    value = exact + err * rng.standard_normal(exact.shape)
    return fss_table(size, temp, value, err, source="synthetic_fss")
