"""Plots of finite-size data and of the data collapse with its GP band (matplotlib)."""

from __future__ import annotations

import numpy as np

from ._fss import FSSResult
from ._table import FSSTable


def plot_raw(table: FSSTable, ax=None, ylabel: str = "A"):
    """A_L(T) with error bars, one series per size L."""
    import matplotlib.pyplot as plt

    ax = ax or plt.gca()
    for s in table.sizes:
        k = table.size == s
        ax.errorbar(table.temperature[k], table.value[k], table.error[k], fmt="o", ms=3,
                    label=f"L = {s:g}")
    ax.set_xlabel("T")
    ax.set_ylabel(ylabel)
    ax.legend(fontsize="small")
    return ax


def plot_collapse(result: FSSResult, i: int = 0, ax=None, ylabel: str = "A L^-c2"):
    """The collapse at the posterior medians, with the GP mean and its 2-sd band."""
    import matplotlib.pyplot as plt

    ax = ax or plt.gca()
    x, y, e = result.collapse(i)
    table = result.tables[i]
    grid = np.linspace(x.min(), x.max(), 200)
    mu, sd = result.band(grid, i)
    ax.fill_between(grid, mu - 2 * sd, mu + 2 * sd, color="0.8", label="GP +- 2 sd")
    ax.plot(grid, mu, "k-", lw=1)
    for s in table.sizes:
        k = table.size == s
        ax.errorbar(x[k], y[k], e[k], fmt="o", ms=3, label=f"L = {s:g}")
    ax.set_xlabel("(T - T_c) L^c1")
    ax.set_ylabel(ylabel)
    ax.legend(fontsize="small")
    return ax
