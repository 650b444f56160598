"""Figures of a replica-exchange fit: the free energy ``F(sigma)`` and the ladder."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.ticker import FuncFormatter, LogLocator

from ..errors import BayesfitError


def plot_free_energy(result, *, span: float = 10.0):
    """``F(sigma) = -log p(data | sigma)`` (nats) of every dataset whose noise level was
    estimated, with its Monte Carlo band and ``sigma_hat`` (the minimum) marked.

    ``span``: the sigma axis runs from the reference ``sigma_0`` to ``span * sigma_hat``.
    Returns the matplotlib figure. Reference: Tamura et al., PRB 101, 224435 (2020).
    """
    if result.group("noise") is None:
        raise BayesfitError("this result has no 'noise' group; fit with "
                            "bayesfit.REMC(noise='free_energy').")
    noise = result.group("noise")
    names = noise.datasets
    fig, axes = plt.subplots(1, len(names), figsize=(4.2 * len(names), 3.4), squeeze=False)
    for i, (ax, d) in enumerate(zip(axes[0], names, strict=True)):
        sig, F, err = noise.curve(d)
        s_hat, s_err = float(noise.sigma_hat[i]), float(noise.sigma_hat_err[i])
        keep = sig <= span * s_hat
        ax.plot(sig[keep], F[keep], color="C0", label="F(sigma)")
        ax.fill_between(sig[keep], (F - 2 * err)[keep], (F + 2 * err)[keep],
                        color="C0", alpha=0.3, lw=0, label="+-2 s.e.")
        ax.axvline(s_hat, color="C3", lw=1)
        ax.axvspan(s_hat - s_err, s_hat + s_err, color="C3", alpha=0.2)
        f_min = float(np.interp(s_hat, sig, F))  # sig increases along the grid
        ax.plot([s_hat], [f_min], "o", color="C3", label=f"sigma_hat = {s_hat:.4g}")
        lo = f_min - 0.05 * abs(f_min) - 1.0
        ax.set_ylim(lo, f_min + max(10.0, 0.3 * (np.nanmax(F[keep]) - f_min)))
        ax.set_xscale("log")
        ax.xaxis.set_minor_locator(LogLocator(subs=(2.0, 5.0)))  # 1-2-5 labels, readable
        ax.xaxis.set_minor_formatter(FuncFormatter(lambda v, _: f"{v:.2g}"))
        units = noise.units[i]
        ax.set_xlabel(f"sigma_{d}" + (f" [{units}]" if units else ""))
        ax.set_ylabel("free energy F [nats]")
        # with noise_update="stationary" the curves are F along the ray of all levels and
        # sigma_hat the stationary point of F in every coordinate, near the ray's minimum
        ax.set_title(d + (" (F along the ray)" if "ray" in (noise.scheme or "") else ""))
        ax.legend(fontsize=8)
    fig.tight_layout()
    return fig


def plot_ladder(result):
    """Swap acceptance of every neighbouring pair (each run and their mean) and the
    adapted inverse temperatures ``b_k``. Returns the matplotlib figure."""
    lad = result.group("ladder")
    if lad is None:
        raise BayesfitError("this result has no 'ladder' group; fit with method 'remc'.")
    swap, beta = lad.swap_acceptance, lad.beta
    fig, (a1, a2) = plt.subplots(1, 2, figsize=(9, 3.4))
    pairs = np.arange(swap.shape[1])
    for r in range(swap.shape[0]):
        a1.plot(pairs, swap[r], ".", color="0.6", ms=4)
    a1.plot(pairs, swap.mean(0), "o-", color="C0", label="mean over runs")
    a1.set_ylim(0, 1)
    a1.set_xlabel("pair (k, k+1)")
    a1.set_ylabel("swap acceptance")
    trips = int(lad.round_trips.sum())
    a1.set_title(f"DEO swaps; {trips} round trips")
    a1.legend(fontsize=8)
    for r in range(beta.shape[0]):
        a2.semilogy(np.arange(1, beta.shape[1]), beta[r, 1:], ".-", lw=0.8)
    a2.set_xlabel("replica k")
    a2.set_ylabel("inverse temperature b_k")
    a2.set_title("adapted ladder (b_0 = 0 not shown)")
    fig.tight_layout()
    return fig
