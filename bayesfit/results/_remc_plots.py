"""Figures of a replica-exchange fit: the free energy ``F(sigma)`` and the ladder."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.ticker import FuncFormatter, LogLocator

from ..errors import BayesfitError


def _group(result, name: str, hint: str):
    if name not in result.tree.children:
        raise BayesfitError(f"this result has no {name!r} group; {hint}")
    return result.tree[name].to_dataset()


def plot_free_energy(result, *, span: float = 10.0):
    """``F(sigma) = -log p(data | sigma)`` (nats) of every dataset whose noise level was
    estimated, with its Monte Carlo band and ``sigma_hat`` (the minimum) marked.

    ``span``: the sigma axis runs from the reference ``sigma_0`` to ``span * sigma_hat``.
    Returns the matplotlib figure. Reference: Tamura et al., PRB 101, 224435 (2020).
    """
    noise = _group(result, "noise", "fit with bayesfit.REMC(noise='free_energy').")
    names = [n for n in noise.attrs.get("datasets", "").split(",") if n]
    fig, axes = plt.subplots(1, len(names), figsize=(4.2 * len(names), 3.4), squeeze=False)
    for ax, d in zip(axes[0], names, strict=True):
        F, err = noise[f"free_energy_{d}"], noise[f"free_energy_err_{d}"]
        sig = F[f"sigma_{d}"].values
        s_hat, s_err = float(noise[f"sigma_hat_{d}"]), float(noise[f"sigma_hat_err_{d}"])
        keep = sig <= span * s_hat
        ax.plot(sig[keep], F.values[keep], color="C0", label="F(sigma)")
        ax.fill_between(sig[keep], (F - 2 * err).values[keep], (F + 2 * err).values[keep],
                        color="C0", alpha=0.3, lw=0, label="+-2 s.e.")
        ax.axvline(s_hat, color="C3", lw=1)
        ax.axvspan(s_hat - s_err, s_hat + s_err, color="C3", alpha=0.2)
        f_min = float(np.interp(s_hat, sig, F.values))  # sig increases along the grid
        ax.plot([s_hat], [f_min], "o", color="C3", label=f"sigma_hat = {s_hat:.4g}")
        lo = f_min - 0.05 * abs(f_min) - 1.0
        ax.set_ylim(lo, f_min + max(10.0, 0.3 * (np.nanmax(F.values[keep]) - f_min)))
        ax.set_xscale("log")
        ax.xaxis.set_minor_locator(LogLocator(subs=(2.0, 5.0)))  # 1-2-5 labels, readable
        ax.xaxis.set_minor_formatter(FuncFormatter(lambda v, _: f"{v:.2g}"))
        units = result.tree["observed_data"][d].attrs.get("units", "") \
            if "observed_data" in result.tree.children else ""
        ax.set_xlabel(f"sigma_{d}" + (f" [{units}]" if units else ""))
        ax.set_ylabel("free energy F [nats]")
        ax.set_title(d)
        ax.legend(fontsize=8)
    fig.tight_layout()
    return fig


def plot_ladder(result):
    """Swap acceptance of every neighbouring pair (each run and their mean) and the
    adapted inverse temperatures ``b_k``. Returns the matplotlib figure."""
    lad = _group(result, "ladder", "fit with method 'remc'.")
    swap, beta = lad["swap_acceptance"].values, lad["beta"].values
    fig, (a1, a2) = plt.subplots(1, 2, figsize=(9, 3.4))
    pairs = np.arange(swap.shape[1])
    for r in range(swap.shape[0]):
        a1.plot(pairs, swap[r], ".", color="0.6", ms=4)
    a1.plot(pairs, swap.mean(0), "o-", color="C0", label="mean over runs")
    a1.set_ylim(0, 1)
    a1.set_xlabel("pair (k, k+1)")
    a1.set_ylabel("swap acceptance")
    trips = int(lad["round_trips"].values.sum())
    a1.set_title(f"DEO swaps; {trips} round trips")
    a1.legend(fontsize=8)
    for r in range(beta.shape[0]):
        a2.semilogy(np.arange(1, beta.shape[1]), beta[r, 1:], ".-", lw=0.8)
    a2.set_xlabel("replica k")
    a2.set_ylabel("inverse temperature b_k")
    a2.set_title("adapted ladder (b_0 = 0 not shown)")
    fig.tight_layout()
    return fig
