"""Standard plots of a fit: ArviZ pair and trace plots, data with predictive bands."""

from __future__ import annotations

import arviz as az
import matplotlib.pyplot as plt
import numpy as np


def plot_pair(result, var_names=None):
    """Corner plot of the posterior (``arviz.plot_pair``); returns the PlotCollection."""
    names = var_names or result.parameter_names
    return az.plot_pair(result.tree, var_names=names, marginal=True, backend="matplotlib")


def plot_trace(result, var_names=None):
    """Trace and marginal densities (``arviz.plot_trace_dist``)."""
    names = var_names or result.parameter_names
    return az.plot_trace_dist(result.tree, var_names=names, backend="matplotlib")


def plot_dataset(result, name: str, *, ax=None, probs=(0.5, 0.95), logx: bool = False):
    """Observations of dataset ``name`` with posterior bands.

    Shaded: central ``probs`` intervals of the noise-free prediction ``mu_<name>``; dashed:
    the 95% interval of replicated data (prediction plus noise). Needs 1-D inputs.
    """
    tree = result.tree
    x = tree["constant_data"][f"{name}_x"].values
    y = tree["observed_data"][name].values
    if ax is None:
        _, ax = plt.subplots(figsize=(6, 4))
    order = np.argsort(x)
    xs = x[order]
    if "posterior_predictive" in tree.children:
        pp = tree["posterior_predictive"]
        mu = pp[f"mu_{name}"].values.reshape(-1, y.size)[:, order]
        rep = pp[name].values.reshape(-1, y.size)[:, order]
        for p in sorted(probs, reverse=True):
            lo, hi = np.quantile(mu, [(1 - p) / 2, (1 + p) / 2], axis=0)
            ax.fill_between(xs, lo, hi, alpha=0.25 if p > 0.6 else 0.45, color="C0",
                            label=f"{int(p * 100)}% band of the model")
        ax.plot(xs, np.median(mu, axis=0), color="C0", lw=1.2, label="posterior median")
        lo, hi = np.quantile(rep, [0.025, 0.975], axis=0)
        ax.plot(xs, lo, "--", color="C1", lw=0.8, label="95% predictive (with noise)")
        ax.plot(xs, hi, "--", color="C1", lw=0.8)
    ax.plot(x, y, "k.", ms=3, label="data")
    xa = tree["constant_data"][f"{name}_x"].attrs
    xu, xname = xa.get("units", ""), xa.get("long_name", "x")
    yu = tree["observed_data"][name].attrs.get("units", "")
    ax.set_xlabel(f"{xname} [{xu}]" if xu else xname)
    ax.set_ylabel(f"{name} [{yu}]" if yu else name)
    if logx:
        ax.set_xscale("log")
    ax.legend(fontsize=7)
    ax.set_title(name)
    return ax


def plot_prediction(result, name: str, *, ax=None, probs=(0.5, 0.95)):
    """Credible bands of a predicted curve stored in the ``predictions`` group."""
    ds = result.tree["predictions"].to_dataset()
    da = ds[name]
    if ax is None:
        _, ax = plt.subplots(figsize=(6, 4))
    if da.ndim == 1:
        ax.hist(da.values, bins=40, color="C2", alpha=0.7)
        ax.set_xlabel(f"{name} [{da.attrs.get('units', '')}]")
        ax.set_title(f"posterior of {name}")
        return ax
    grid_name = da.dims[1]
    grid = ds[grid_name].values
    vals = da.values.reshape(da.shape[0], grid.size, -1)
    for j in range(vals.shape[2]):
        v = vals[:, :, j]
        for p in sorted(probs, reverse=True):
            lo, hi = np.quantile(v, [(1 - p) / 2, (1 + p) / 2], axis=0)
            ax.fill_between(grid, lo, hi, alpha=0.25 if p > 0.6 else 0.45, color=f"C{j}")
        ax.plot(grid, np.median(v, axis=0), color=f"C{j}")
    ax.set_xlabel(f"{grid_name} [{ds[grid_name].attrs.get('units', '')}]")
    ax.set_ylabel(f"{name} [{da.attrs.get('units', '')}]")
    ax.set_title(f"predicted {name} ({', '.join(f'{int(p*100)}%' for p in probs)} bands)")
    return ax
