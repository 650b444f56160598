"""The report of a fit belongs to the library: the CLI prints what ``Result`` computes, a
result loaded from ``fit.nc`` gives the same tables, and writing the report again from the
loaded result reproduces every CSV byte for byte."""

import contextlib
import io

import numpy as np
import pandas as pd
import pytest

import bayesfit as bf
from bayesfit.cli.main import main
from bayesfit.kernels import ForwardModel, Prediction
from bayesfit.kernels._registry import _REGISTRY

from ..cli._helpers import LINE_PARAMETERS

MODEL = """
title = "two lines, unknown noise"
[kernel]
name = "test_line_with_predictions"
""" + LINE_PARAMETERS + """[[datasets]]
name = "near"
file = "near.csv"
x = "t"
y = "y"
[[datasets]]
name = "far"
file = "far.csv"
x = "t"
y = "y"
[inference]
method = "remc"
chains = 2
draws = 200
warmup = 120
seed = 3
options = { replicas = 6, leapfrog_steps = 3, noise = "free_energy", noise_sweeps = 0, map_restarts = 4 }
"""
GRID = np.array([0.0, 1.0, 2.0])


class LineKernel:
    """y = a t + b (m, t in s); predicts the time of zero crossing and the line on a grid."""

    def dataset_model(self, options, *, where):
        return ForwardModel(lambda p, x: p["a"] * x + p["b"], x_units="s", y_units="m")

    def predictions(self):
        return {
            "t_zero": Prediction(lambda p, g: -p["b"] / p["a"], units="s",
                                 description="zero crossing"),
            "line": Prediction(lambda p, g: p["a"] * g + p["b"], grid=GRID, grid_name="t_s",
                               grid_units="s", units="m"),
        }


@pytest.fixture(scope="module")
def cli_fit(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("report")
    bf.register_kernel("test_line_with_predictions", lambda settings, *, where: LineKernel())
    rng = np.random.default_rng(1)
    t = np.linspace(0, 3, 25)
    for name, sd in (("near", 0.05), ("far", 0.4)):
        y = 1.2 * t - 0.6 + sd * rng.standard_normal(t.size)
        (tmp / f"{name}.csv").write_text("t,y\n" + "".join(f"{a},{b}\n" for a, b in zip(t, y, strict=True)))
    (tmp / "m.toml").write_text(MODEL)
    out = tmp / "out"
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        rc = main(["fit", str(tmp / "m.toml"), "--out", str(out), "--no-plots",
                   "--no-progress"])
    yield printed.getvalue(), out, rc
    _REGISTRY.loaded.pop("test_line_with_predictions", None)


def test_loaded_noise_table_is_the_printed_one(cli_fit):
    printed, out, rc = cli_fit
    assert rc == 0
    loaded = bf.load(out / "fit.nc")
    table = loaded.noise_table()
    assert list(table.index) == ["near", "far"] and set(table["units"]) == {"m"}
    # the generating noise levels, to the accuracy of this short run
    np.testing.assert_allclose(table["sigma_hat"], [0.05, 0.4], rtol=0.5)
    written = pd.read_csv(out / "noise.csv", index_col=0)
    pd.testing.assert_frame_equal(written, table, check_names=False)
    # what the fresh fit printed is the loaded table, and `bayesfit summary` prints it too
    text = table.to_string(float_format=lambda v: f"{v:.4g}")
    assert text in printed
    again = io.StringIO()
    with contextlib.redirect_stdout(again):
        assert main(["summary", str(out / "fit.nc")]) == 0
    assert text in again.getvalue()


def test_round_trip_reproduces_every_csv(cli_fit, tmp_path):
    _, out, rc = cli_fit
    assert rc == 0
    csvs = sorted(p.name for p in out.glob("*.csv"))
    # optima.csv: the MAP search's optima (on the free-energy route too)
    assert csvs == ["correlations.csv", "noise.csv", "optima.csv", "predictions.csv",
                    "summary.csv"]
    bf.load(out / "fit.nc").write_report(tmp_path / "again", plots=False)
    for name in csvs:
        assert (tmp_path / "again" / name).read_bytes() == (out / name).read_bytes(), name


def test_predictions_attached_by_fit(cli_fit):
    _, out, _ = cli_fit
    r = bf.load(out / "fit.nc")
    preds = r.group("predictions")
    assert preds.quantities["line"].grid_name == "t_s"
    np.testing.assert_array_equal(preds.quantities["line"].grid, GRID)
    # an independent route: the same quantities from the posterior draws directly
    a, b = r.draws("a"), r.draws("b")
    table = r.predictions_table()
    assert list(table.index) == ["t_zero"] and table.loc["t_zero", "units"] == "s"
    assert table.loc["t_zero", "median"] == pytest.approx(np.median(-b / a), rel=0.02)
    line = preds.quantities["line"].values
    np.testing.assert_allclose(np.median(line, 0), np.median(a[:, None] * GRID + b[:, None], 0),
                               rtol=0.02, atol=0.01)
