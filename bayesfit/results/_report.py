"""What a fit report holds: fit.nc, the tables as CSV, and the standard figures.

:meth:`Result.write_report` calls :func:`write_report`; the CLI (``bayesfit fit``) only
prints what it returns. Everything is read from the result tree, so a result loaded from
``fit.nc`` writes the same CSV files, byte for byte, as the fresh fit did.
"""

from __future__ import annotations

from pathlib import Path

from .._atomic import write_text_atomic
from ._optima import optima_table


def _savefig(fig_or_pc, path: Path) -> None:
    import matplotlib.pyplot as plt

    if hasattr(fig_or_pc, "savefig") and not hasattr(fig_or_pc, "viz"):
        fig_or_pc.savefig(path, dpi=110, bbox_inches="tight")
    else:  # an ArviZ PlotCollection
        fig_or_pc.savefig(path)
    plt.close("all")


def tables(result) -> dict[str, tuple[str, str]]:
    """``{file name: (CSV text, description)}`` of every table that applies."""
    out = {"summary.csv": (result.summary().to_csv(), "posterior summary table")}
    corr = result.correlations()
    if corr is not None:
        out["correlations.csv"] = (corr.to_csv(float_format="%.4f"),
                                   "posterior correlation matrix of the parameters")
    noise = result.noise_table()
    if noise is not None:
        out["noise.csv"] = (noise.to_csv(), "noise level of each dataset (free-energy minimum)")
    optima = optima_table(result)
    if optima is not None:
        out["optima.csv"] = (optima.to_csv(),
                             "distinct optima: values, Laplace and sampled weights")
    preds = result.predictions_table()
    if preds is not None and len(preds):
        out["predictions.csv"] = (preds.to_csv(float_format="%.6g"),
                                  "predicted scalar quantities (median, 95%)")
    return out


def _figures(result, out: Path) -> list[tuple[Path, str]]:
    from ._plots import plot_dataset, plot_pair, plot_prediction, plot_trace
    from ._remc_plots import plot_free_energy

    files = []
    _savefig(plot_pair(result), out / "pair.png")
    files.append((out / "pair.png", "posterior pair plot"))
    _savefig(plot_trace(result), out / "trace.png")
    files.append((out / "trace.png", "traces and marginals"))
    const = result.tree["constant_data"] if "constant_data" in result.tree.children else {}
    for name in result.dataset_names:
        if f"{name}_x" in const and const[f"{name}_x"].ndim == 1:
            _savefig(plot_dataset(result, name).figure, out / f"data_{name}.png")
            files.append((out / f"data_{name}.png", f"{name} with posterior bands"))
    if result.group("noise") is not None:
        _savefig(plot_free_energy(result), out / "free_energy.png")
        files.append((out / "free_energy.png", "Bayesian free energy F(sigma)"))
    preds = result.group("predictions")
    for name in preds.quantities if preds is not None else ():
        _savefig(plot_prediction(result, name).figure, out / f"predicted_{name}.png")
        files.append((out / f"predicted_{name}.png", f"predicted {name} with credible bands"))
    return files


def write_report(result, out: Path, *, plots: bool = True) -> list[tuple[Path, str]]:
    """Write the report of ``result`` into the folder ``out``; ``[(path, description)]``."""
    out.mkdir(parents=True, exist_ok=True)
    files = [(result.save(out / "fit.nc"),
              "the full result (ArviZ DataTree, netCDF): bayesfit.load(...)")]
    for name, (text, what) in tables(result).items():
        files.append((write_text_atomic(out / name, text), what))
    if plots:
        files += _figures(result, out)
    return files
