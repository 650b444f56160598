"""What ``bayesfit fit`` writes: fit.nc, summary.csv, predictions and figures."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from ..results import write_text_atomic  # noqa: E402
from ..results._optima import format_optima, optima_table  # noqa: E402
from ..results._plots import plot_dataset, plot_pair, plot_prediction, plot_trace  # noqa: E402
from ..results._predict import predict  # noqa: E402


def _savefig(fig_or_pc, path: Path) -> None:
    fig = fig_or_pc if hasattr(fig_or_pc, "savefig") and not hasattr(fig_or_pc, "viz") else None
    if fig is None:  # an ArviZ PlotCollection
        fig_or_pc.savefig(path)
    else:
        fig.savefig(path, dpi=110, bbox_inches="tight")
    plt.close("all")


def correlation_table(result) -> pd.DataFrame | None:
    """Posterior correlation matrix of the scalar parameters (None with fewer than two)."""
    names = [n for n in result.parameter_names if result.posterior[n].ndim == 2]
    if len(names) < 2:
        return None
    draws = np.stack([result.draws(n) for n in names])
    return pd.DataFrame(np.corrcoef(draws), index=names, columns=names)


def noise_table(result) -> pd.DataFrame | None:
    """``sigma_hat`` (with its Monte Carlo error and the MAP level) of every dataset whose noise was
    estimated from the free energy, in the dataset's y units; None without a noise group."""
    if "noise" not in result.tree.children:
        return None
    g = result.tree["noise"].to_dataset()
    units = {d.name: d.units.get("y", "") for d in result.problem.datasets}
    rows = {}
    for name in g.attrs.get("datasets", "").split(","):
        if name and f"sigma_hat_{name}" in g:
            rows[name] = {"sigma_hat": float(g[f"sigma_hat_{name}"]),
                          "mc_err": float(g[f"sigma_hat_err_{name}"]),
                          "sigma_map": float(g[f"sigma_map_{name}"]),
                          "units": units.get(name, "")}
    return pd.DataFrame.from_dict(rows, orient="index") if rows else None


def write_report(result, spec, out: Path, *, plots: bool = True) -> list[tuple[Path, str]]:
    out.mkdir(parents=True, exist_ok=True)
    files: list[tuple[Path, str]] = []
    preds = spec.kernel.predictions() if hasattr(spec.kernel, "predictions") else {}
    if preds:
        group = predict(result, result.problem, preds)
        result.tree["predictions"] = group
    path = result.save(out / "fit.nc")
    files.append((path, "the full result (ArviZ DataTree, netCDF): bayesfit.load(...)"))
    table = result.summary()
    print("\nPosterior summary (95% equal-tailed intervals):")
    print(result.format_summary())
    if result.log_evidence is not None:
        print(f"\nlog evidence = {result.log_evidence:.3f} +- {result.log_evidence_err:.3f} nats")
    attrs = result.tree.attrs
    if "ladder" in result.tree.children and "barrier" in attrs:
        trips = result.tree["ladder"]["round_trips"].values.tolist()
        print(f"replica exchange: {attrs['replicas']} replicas ({attrs.get('reference', '?')} "
              f"reference), barrier Lambda = {attrs['barrier']:.2f}, round trips per run "
              f"{trips}")
    optima = format_optima(result)
    if optima:
        print("\n" + optima)
        write_text_atomic(out / "optima.csv", optima_table(result).to_csv())
        files.append((out / "optima.csv", "distinct optima: values, Laplace and sampled weights"))
    write_text_atomic(out / "summary.csv", table.to_csv())
    files.append((out / "summary.csv", "posterior summary table"))
    corr = correlation_table(result)
    if corr is not None:
        write_text_atomic(out / "correlations.csv", corr.to_csv(float_format="%.4f"))
        files.append((out / "correlations.csv", "posterior correlation matrix of the parameters"))
    noise = noise_table(result)
    if noise is not None:
        print("\nNoise levels at the minimum of the Bayesian free energy F(sigma):")
        print(noise.to_string(float_format=lambda v: f"{v:.4g}"))
        write_text_atomic(out / "noise.csv", noise.to_csv())
        files.append((out / "noise.csv", "noise level of each dataset (free-energy minimum)"))
    if preds:
        rows = ["quantity,grid,median,q2.5,q97.5,units"]
        ds = result.tree["predictions"].to_dataset()
        for name in ds.data_vars:
            da = ds[name]
            if da.ndim == 1:
                q = np.quantile(da.values, [0.5, 0.025, 0.975])
                rows.append(f"{name},,{q[0]:.6g},{q[1]:.6g},{q[2]:.6g},{da.attrs.get('units','')}")
        write_text_atomic(out / "predictions.csv", "\n".join(rows) + "\n")
        files.append((out / "predictions.csv", "predicted scalar quantities (median, 95%)"))
    if not plots:
        return files
    _savefig(plot_pair(result), out / "pair.png")
    files.append((out / "pair.png", "posterior pair plot"))
    _savefig(plot_trace(result), out / "trace.png")
    files.append((out / "trace.png", "traces and marginals"))
    for ds in result.problem.datasets:
        if ds.x.ndim == 1:
            ax = plot_dataset(result, ds.name)
            _savefig(ax.figure, out / f"data_{ds.name}.png")
            files.append((out / f"data_{ds.name}.png", f"{ds.name} with posterior bands"))
    if "noise" in result.tree.children:
        from ..results._remc_plots import plot_free_energy

        _savefig(plot_free_energy(result), out / "free_energy.png")
        files.append((out / "free_energy.png", "Bayesian free energy F(sigma)"))
    for name in preds:
        ax = plot_prediction(result, name)
        _savefig(ax.figure, out / f"predicted_{name}.png")
        files.append((out / f"predicted_{name}.png", f"predicted {name} with credible bands"))
    return files
