"""``bayesfit fss``: a CSV table in, the scaling posterior, its data and plots out."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import xarray as xr

from bayesfit.cli.main import main
from bayesfit.criticality import synthetic_fss
from bayesfit.io import read_table, write_table

ROOT = Path(__file__).resolve().parents[2]


def _csv(tmp: Path) -> Path:
    """Synthetic data from a known collapse: T_c = 1, c1 = 1/nu = 1, c2 = 0.5."""
    t = synthetic_fss(sizes=(8, 16, 32), temperatures=np.linspace(0.8, 1.2, 10),
                      rel_error=0.03, seed=0)
    path = tmp / "chi.csv"
    write_table(path, {"L": t.size, "T": t.temperature, "chi": t.value, "dchi": t.error},
                ["synthetic_fss(sizes=(8, 16, 32), rel_error=0.03, seed=0)"])
    return path


def test_fss_command_recovers_the_collapse_and_writes_its_files(tmp_path, capsys):
    table = _csv(tmp_path)
    out = tmp_path / "out"
    # with a correction to scaling at fixed omega (the data have none: a near 0)
    # and --check: a true collapse must be reported as scaling (positive control)
    args = ["fss", str(table), "--observable", "chi:dchi", "--correction", "2", "--check",
            "--chains", "1", "--draws", "200", "--warmup", "200", "--out", str(out)]
    code = main(args)
    printed = capsys.readouterr().out
    assert code in (0, 3), printed  # 3: written, with failed diagnostics listed
    assert ("Diagnostics FAILED" in printed) == (code == 3)
    assert {p.name for p in out.iterdir()} == {"fss.nc", "summary.csv", "raw.png",
                                               "collapse.png", "check.csv"}
    check = read_table(out / "check.csv").columns
    assert check["scaling_supported"][0] == 1.0 and check["delta_elpd"][0] > 0, check
    with xr.open_datatree(out / "fss.nc") as tree:
        post = tree["posterior"].to_dataset()
        assert post["tc"].shape == (1, 200)
        for name, truth in (("tc", 1.0), ("c1", 1.0), ("c2", 0.5)):
            lo, hi = np.quantile(post[name].values, [0.025, 0.975])
            assert lo <= truth <= hi, (name, lo, hi)
        assert abs(float(np.median(post["a"].values))) < 2 * float(np.std(post["a"].values))
        assert json.loads(tree.attrs["diagnostics_failed"]) == [
            line.strip()[2:] for line in printed.splitlines() if line.startswith("  - ")]
        data = tree["fss_data_0"].to_dataset()
        assert data["L"].size == 30 and set(np.unique(data["L"].values)) == {8, 16, 32}
    assert "tc" in (out / "summary.csv").read_text()
    assert "T_c 95% interval" in printed
    # the same command again does not overwrite what the folder holds
    assert main(args) == 2
    assert "already holds" in capsys.readouterr().err


@pytest.mark.parametrize("extra, needle", [
    (["--observable", "chi"], "VALUE:ERROR"),
    (["--observable", "chi:dchi:x"], "neither a number"),
    (["--observable", "nope:dchi"], "nope"),
    (["--tc", "5..6"], "outside the temperatures"),
    (["--tc", "1.1..0.9"], "LO must be below HI"),
    (["--sizes", "8,64"], "no rows of size"),
    (["--draws", "0"], "--draws"),
    (["--correction", "x"], "--correction"),
    (["--correction", "-1"], "--correction"),
    (["--observable", "chi:dchi", "--observable", "chi:dchi", "--check"], "single"),
])
def test_bad_input_exits_2_before_any_fit(tmp_path, capsys, extra, needle):
    out = tmp_path / "out"
    obs = [] if "--observable" in extra else ["--observable", "chi:dchi"]
    code = main(["fss", str(_csv(tmp_path)), "--out", str(out), *obs, *extra])
    assert code == 2
    assert needle in capsys.readouterr().err
    assert not out.exists() or not any(out.iterdir())  # nothing written


def test_missing_table_exits_2_without_traceback(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "bayesfit.cli.main", "fss",
                           str(tmp_path / "none.csv"), "--out", str(tmp_path / "o")],
                          capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 2
    assert "none.csv" in proc.stderr and "Traceback" not in proc.stderr
