"""The command line end to end, and every bad input with exit status 2 and no traceback."""

import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import bayesfit as bf
from bayesfit.cli.main import main

from ._helpers import LINE_DATA, line_model, write_model

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "models" / "examples" / "relaxation.toml"

def _setup(tmp_path, model_extra="", data=LINE_DATA, replace=None):
    # a blank first line, and the extra dataset line even when empty: line 6 holds "a ="
    text = "\n" + line_model('method = "map"\ndraws = 200\n', extra=model_extra)
    for old, new in (replace or {}).items():
        assert old in text
        text = text.replace(old, new)
    return write_model(tmp_path, text, data)


def test_version(capsys):
    with pytest.raises(SystemExit) as e:
        main(["--version"])
    assert e.value.code == 0
    assert bf.__version__ in capsys.readouterr().out


def test_fit_summary_and_outputs_on_shipped_example(tmp_path, capsys):
    out = tmp_path / "out"
    rc = main(["fit", str(EXAMPLE), "--out", str(out), "--draws", "300", "--warmup", "300",
               "--chains", "2", "--no-progress"])
    assert rc == 0
    for f in ("fit.nc", "summary.csv", "pair.png", "trace.png", "data_relax.png"):
        assert (out / f).is_file(), f
    r = bf.load(out / "fit.nc")
    assert {"posterior", "sample_stats", "observed_data", "posterior_predictive",
            "log_likelihood"} <= set(r.tree.children)
    # the generating values of the shipped synthetic data
    for name, truth in (("A", 2.0), ("tau", 3.0), ("c", 0.5)):
        lo, hi = np.quantile(r.draws(name), [0.005, 0.995])
        assert lo < truth < hi
    assert r.tree["posterior"]["tau"].attrs["units"] == "s"
    # the CLI writes the library's table (its values are checked against the exact
    # posterior of a conjugate model in tests/results/test_result.py)
    corr = pd.read_csv(out / "correlations.csv", index_col=0)
    np.testing.assert_allclose(corr.to_numpy(), r.correlations().to_numpy(), atol=5e-5)
    assert set(corr.index) == {"A", "tau", "c", "sigma_relax"}
    assert main(["summary", str(out / "fit.nc")]) == 0
    assert "tau" in capsys.readouterr().out


def test_simulate_then_fit_recovers_parameters(tmp_path):
    model = _setup(tmp_path, model_extra="simulate = { x = { start = 0, stop = 5, num = 40 } }",
                   replace={'file = "data.csv"': 'file = "sim.csv"'})
    rc = main(["simulate", str(model), "--set", "a=1.5", "--set", "b=-2", "--noise", "0.1",
               "--seed", "4", "--out", str(tmp_path / "sim.csv")])
    assert rc == 0
    text = (tmp_path / "sim.csv").read_text()
    assert "SYNTHETIC" in text and "a = 1.5 m/s" in text
    assert main(["fit", str(model), "--out", str(tmp_path / "o"), "--no-plots"]) == 0
    r = bf.load(tmp_path / "o" / "fit.nc")
    assert abs(float(r.tree["map"]["a"]) - 1.5) < 0.05


BAD = [
    ({"replace": {'name = "function"': 'name = "nope"'}}, "unknown kernel 'nope'"),
    ({"replace": {'prior = "Normal", loc = 0.0, scale = 5.0, units = "m/s"':
                  'prior = "Normal", loc = 0.0, scale = 5.0, value = 1.0'}},
     "both fixed .* and free"),
    ({"replace": {'units = "m/s"': 'units = "furlong"'}}, "unknown unit 'furlong'"),
    ({"replace": {'prior = "Normal", loc = 0.0, scale = 5.0, units = "m/s"':
                  'prior = "Uniform", low = 0.0, high = 1.0, init = 3.0'}},
     "initial value .* outside the support"),
    ({"replace": {'expression = "a * x + b"': 'expression = "a * x + c"'}},
     "m.toml:[0-9]+: dataset 'pos': the expression uses parameter 'c'"),
    ({"replace": {'x = "t"': 'x = "time"'}}, "no x column named 'time'"),
    ({"replace": {'file = "data.csv"': 'file = "missing.csv"'}}, "data file not found"),
    ({"data": "t,y\n0,1\n1,nan\n"}, "data.csv:3: column 'y' holds a non-finite"),
    ({"data": "t,y\n"}, "no data rows"),
    ({"replace": {'prior = "Normal", loc = 0.0, scale = 5.0, units = "m"':
                  'prior = "Normall", loc = 0.0'}}, "unknown prior 'Normall'"),
    ({"replace": {'method = "map"': 'method = "magic"'}}, "unknown inference method 'magic'"),
    ({"replace": {'draws = 200': 'draws = 0'}}, "draws = 0 must be a positive integer"),
    ({"replace": {"[inference]": "[inference]\nwalkers = 3"}}, "unknown \\[inference\\] keys"),
    ({"model_extra": "wavelength = 3"}, "unknown dataset keys \\['wavelength'\\]"),
    ({"replace": {"[kernel]": "[kernal]"}}, "unknown top-level keys"),
]


@pytest.mark.parametrize("setup, needle", BAD, ids=[n for _, n in BAD])
def test_bad_input_exits_2_with_message(tmp_path, capsys, setup, needle):
    model = _setup(tmp_path, **setup)
    rc = main(["fit", str(model), "--out", str(tmp_path / "o"), "--no-plots"])
    err = capsys.readouterr().err
    assert rc == 2
    import re

    assert re.search(needle, err), err
    assert "Traceback" not in err
    assert not (tmp_path / "o" / "fit.nc").exists()


def test_bad_input_line_numbers(tmp_path, capsys):
    model = _setup(tmp_path, replace={'units = "m/s"': 'units = "furlong"'})
    main(["fit", str(model)])
    assert "m.toml:6" in capsys.readouterr().err


def test_simulate_needs_every_free_parameter(tmp_path, capsys):
    model = _setup(tmp_path)
    assert main(["simulate", str(model), "--set", "a=1", "--out", str(tmp_path / "s.csv")]) == 2
    assert "missing ['b']" in capsys.readouterr().err
    assert main(["simulate", str(model), "--set", "zz=1", "--out", "s.csv"]) == 2


def test_resume_without_checkpointing_method_is_a_user_error(tmp_path, capsys):
    model = _setup(tmp_path)
    assert main(["fit", str(model), "--resume"]) == 2
    assert "does not checkpoint" in capsys.readouterr().err


def test_cli_subprocess_has_no_traceback(tmp_path):
    model = _setup(tmp_path, replace={'name = "function"': 'name = "nope"'})
    p = subprocess.run([sys.executable, "-m", "bayesfit.cli.main", "fit", str(model)],
                       capture_output=True, text=True, cwd=tmp_path)
    assert p.returncode == 2
    assert "unknown kernel" in p.stderr and "Traceback" not in p.stderr
