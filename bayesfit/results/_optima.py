"""Mode-resolved reports: the distinct optima of a fit and the posterior in each.

A posterior with several modes (mirror modes of exchangeable couplings, or different
solutions) has no meaningful mean: the average of two mirror modes is no physical value.
These tables report every optimum separately (``optima`` group, written by the MAP and
NUTS methods, :mod:`bayesfit.inference._optima`).
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd


def _group(result):
    return result.tree["optima"].to_dataset() if "optima" in result.tree.children else None


def optima_table(result) -> pd.DataFrame | None:
    """One row per distinct optimum, best first: log density, Laplace log evidence and
    weight, sampled weight (fraction of draws nearest to it; NaN if none were sampled),
    restarts that ended there, ``mirror_of`` and the scalar parameter values at it.
    None when the result has no ``optima`` group."""
    g = _group(result)
    if g is None:
        return None
    names = [n for n in g.attrs.get("z_names", "").split(",") if n and g[n].ndim == 1]
    rows = {}
    for k in range(g.sizes["optimum"]):
        row = {"log_density": float(g["log_density"][k]),
               "laplace_log_evidence": float(g["laplace_log_evidence"][k]),
               "laplace_weight": float(g["laplace_weight"][k]),
               "sampled_weight": float(g["sampled_weight"][k]),
               "starts": int(g["starts"][k]),
               "mirror_of": int(g["mirror_of"][k])}
        row.update({n: float(g[n][k]) for n in names})
        rows[k] = row
    df = pd.DataFrame.from_dict(rows, orient="index")
    df.index.name = "optimum"
    return df


def mode_summary(result, *, ci_prob: float = 0.95) -> pd.DataFrame | None:
    """Posterior of every scalar parameter within each optimum's region: mean, sd and the
    equal-tailed interval of the draws nearest to it (``sample_stats.optimum``); for an
    optimum no draw visited, its mode and Laplace sd (``source = "laplace"``). Rows are
    ``(optimum, parameter)``; None without an ``optima`` group."""
    g = _group(result)
    if g is None:
        return None
    units = json.loads(result.tree.attrs.get("parameter_units", "{}"))
    names = [n for n in g.attrs.get("z_names", "").split(",") if n and g[n].ndim == 1]
    labels = None
    if "sample_stats" in result.tree.children and \
            "optimum" in result.tree["sample_stats"].data_vars:
        labels = np.asarray(result.tree["sample_stats"]["optimum"].values).reshape(-1)
    lo, hi = (1 - ci_prob) / 2, 1 - (1 - ci_prob) / 2
    rows = []
    for k in range(g.sizes["optimum"]):
        sel = None if labels is None else labels == k
        for n in names:
            if sel is not None and sel.sum() >= 10:
                d = result.draws(n)[sel]
                q = np.quantile(d, [lo, hi])
                rows.append((k, n, units.get(n, ""), float(d.mean()), float(d.std(ddof=1)),
                             float(q[0]), float(q[1]), int(sel.sum()), "draws"))
            else:
                m, s = float(g[n][k]), float(g[f"{n}_sd"][k])
                rows.append((k, n, units.get(n, ""), m, s, m - 1.96 * s, m + 1.96 * s, 0,
                             "laplace"))
    df = pd.DataFrame(rows, columns=["optimum", "parameter", "units", "mean", "sd",
                                     "ci_low", "ci_high", "draws", "source"])
    return df.set_index(["optimum", "parameter"])


def format_optima(result) -> str | None:
    """The text the CLI prints about the optima (None when there is one optimum only)."""
    table = optima_table(result)
    if table is None or len(table) < 2:
        return None
    g = _group(result)
    lines = [f"{len(table)} distinct optima of {g.attrs.get('restarts')} MAP restarts "
             "(Laplace weight = posterior mass by the Laplace approximation; sampled weight = "
             "fraction of draws nearest to it):",
             table.to_string(float_format=lambda v: f"{v:.5g}")]
    exch = g.attrs.get("exchangeable", "")
    if exch:
        lines.append(f"exchangeable parameters (exact symmetry of the model): "
                     f"{exch.replace(';', '; ')}; mirror_of names the optimum each one "
                     "mirrors. Values per optimum, never their average:")
        lines.append(mode_summary(result).to_string(float_format=lambda v: f"{v:.5g}"))
    visited = table["sampled_weight"].fillna(0).gt(0.01).sum()
    if visited > 1:
        lines.append("WARNING: the draws visit several optima, so the pooled summary above "
                     "mixes modes; read the per-optimum values (mode_summary).")
        if not exch:
            lines.append(mode_summary(result).to_string(float_format=lambda v: f"{v:.5g}"))
    best = table["laplace_weight"].idxmax()
    if best != 0:
        lines.append(f"NOTE: optimum {best} (not the highest point, 0) carries the largest "
                     "Laplace weight: the highest mode is narrow.")
    return "\n".join(lines)
