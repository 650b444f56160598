"""Sweeps on Dask: same numbers as fits run one by one, resume, a killed worker, bad files."""

from __future__ import annotations

import json
import os
import signal
import threading
import time
from pathlib import Path

import numpy as np
import pytest
import xarray as xr

from bayesfit.cli.main import main
from bayesfit.sweeps import load_sweep, sweep
from bayesfit.sweeps._task import FINISHED

ROOT = Path(__file__).resolve().parents[2]
MODEL = ROOT / "models" / "examples" / "relaxation.toml"

SWEEP = f"""
[sweep]
title = "relaxation variants"
models = ["{MODEL}"]
seeds = [3]
plots = false
[sweep.set]
"inference.chains" = 1
"inference.draws" = 400
"inference.warmup" = 150

[[variants]]
name = "free"
[[variants]]
name = "c_fixed"
description = "offset fixed at its generating value"
set = {{ "parameters.c" = {{ value = 0.5, units = "arb" }} }}
"""


def _write(tmp: Path, text: str, name: str = "sweep.toml") -> Path:
    path = tmp / name
    path.write_text(text)
    return path


@pytest.fixture(scope="module")
def swept(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("sweep")
    path = _write(tmp, SWEEP)
    res = sweep(path, out=tmp / "out", workers=2, progress=False)
    return tmp, path, res


def _posterior(path: Path) -> dict[str, np.ndarray]:
    with xr.open_datatree(path) as tree:
        post = tree["posterior"].to_dataset()
        return {k: post[k].values.copy() for k in post.data_vars}


def test_sweep_fits_equal_the_same_fits_run_one_by_one(swept, tmp_path):
    _, _, res = swept
    assert list(res.table["status"]) == ["ok", "ok"]
    assert set(res.table["name"]) == {"relaxation__free__seed3", "relaxation__c_fixed__seed3"}
    for name in res.table["name"]:
        folder = res.out / name
        by_hand = tmp_path / name
        code = main(["fit", str(folder / "model.toml"), "--out", str(by_hand), "--seed", "3",
                     "--no-progress", "--no-plots"])
        assert code == 0
        a, b = _posterior(folder / "fit.nc"), _posterior(by_hand / "fit.nc")
        assert a.keys() == b.keys() and a
        for k in a:
            np.testing.assert_array_equal(a[k], b[k])
    # the variant really was applied: c is not a free parameter of the c_fixed fit
    assert "c" not in _posterior(res.out / "relaxation__c_fixed__seed3" / "fit.nc")
    # one ranking of the two fits of the same data, written as CSV
    assert len(res.rankings) == 1 and (res.out / "ranking.csv").is_file()
    table = (res.out / "sweep_summary.csv").read_text()
    assert "relaxation__free__seed3" in table and "mean tau [s]" in table


def test_rerun_runs_only_the_missing_fits(swept):
    tmp, path, res = swept
    keep = res.out / "relaxation__free__seed3"
    gone = res.out / "relaxation__c_fixed__seed3"
    before = (keep / "fit.nc").stat().st_mtime_ns
    import shutil

    shutil.rmtree(gone)
    again = sweep(path, out=res.out, workers=1, progress=False)
    assert list(again.table["status"]) == ["ok", "ok"]
    assert (keep / "fit.nc").stat().st_mtime_ns == before  # not run again
    assert (gone / "fit.nc").is_file()
    msg = dict(zip(again.table["name"], again.table["message"], strict=True))
    assert msg["relaxation__free__seed3"].startswith("done earlier")
    assert not msg["relaxation__c_fixed__seed3"].startswith("done earlier")


def test_a_changed_variant_is_not_overwritten_without_force(swept, capsys):
    tmp, path, res = swept
    text = path.read_text().replace("value = 0.5", "value = 0.4")
    changed = _write(tmp, text, "changed.toml")
    folder = res.out / "relaxation__c_fixed__seed3"
    before = (folder / "fit.nc").read_bytes()
    code = main(["sweep", str(changed), "--out", str(res.out), "--workers", "1",
                 "--no-progress"])
    assert code == 3
    assert "stale" in capsys.readouterr().out
    assert (folder / "fit.nc").read_bytes() == before


def test_a_killed_worker_loses_no_fit(tmp_path):
    from distributed import Client, LocalCluster

    # two fits (two variants, one seed) on two workers: one of them is killed mid-fit
    text = SWEEP.replace("seeds = [3]", "seeds = [1]")
    path = _write(tmp_path, text)
    out = tmp_path / "out"
    done: dict = {}
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                      dashboard_address=None) as cluster, Client(cluster) as client:
        thread = threading.Thread(target=lambda: done.setdefault(
            "res", sweep(path, out=out, scheduler=client, progress=False)))
        thread.start()
        pids = client.run(os.getpid)
        killed, seen = None, {}
        deadline = time.time() + 1800
        while killed is None and time.time() < deadline and thread.is_alive():
            for worker, keys in client.processing().items():
                for key in keys:  # kill a worker 2 s into one of its fits
                    seen.setdefault((worker, key), time.time())
                    if killed is None and time.time() - seen[(worker, key)] > 2.0:
                        os.kill(pids[worker], signal.SIGKILL)
                        killed = worker
            time.sleep(0.2)
        thread.join(1800)
    assert killed is not None, "no fit was seen running"
    res = done["res"]
    # every fit finished and was recorded (a short 1-chain fit may fail the ESS check: that is
    # a finished fit with its warning, not a lost one)
    assert len(res.table) == 2 and set(res.table["status"]) <= set(FINISHED)
    folders = sorted(p.name for p in out.iterdir() if p.is_dir() and not p.name.startswith("."))
    assert folders == sorted(res.table["name"])  # every fit once, nothing else
    assert not list(out.glob(".*.partial-*"))
    for name in folders:
        record = json.loads((out / name / "sweep_task.json").read_text())
        assert record["status"] in FINISHED
        assert _posterior(out / name / "fit.nc")["tau"].shape == (1, 400)


@pytest.mark.parametrize("edit, needle", [
    (lambda s: s.replace(str(MODEL), "nowhere.toml"), "nowhere.toml"),
    (lambda s: s.replace('description = "offset', 'colour = "red"\ndescription = "offset'),
     "colour"),
    (lambda s: s.replace('"parameters.c"', '"datasets.nope.sigma"'), "nope"),
    (lambda s: s.replace('"parameters.c"', '"priors.c"'), "priors.c"),
    (lambda s: s.replace("seeds = [3]", "seeds = [-1]"), "seeds"),
    (lambda s: s.replace('name = "c_fixed"', 'name = "free"'), "unique"),
    (lambda s: s.replace("units = \"arb\" }", "units = \"arb\", bogus = 1 }"), "bogus"),
])
def test_bad_sweep_files_exit_2_before_any_fit(tmp_path, capsys, edit, needle):
    path = _write(tmp_path, edit(SWEEP))
    code = main(["sweep", str(path), "--out", str(tmp_path / "out"), "--no-progress"])
    err = capsys.readouterr().err
    assert code == 2
    assert needle in err and "Traceback" not in err
    assert not [p for p in (tmp_path / "out").glob("*") if p.name != ".models"]


def test_a_scheduler_that_does_not_answer_exits_2(tmp_path, capsys):
    path = _write(tmp_path, SWEEP)
    code = main(["sweep", str(path), "--out", str(tmp_path / "out"),
                 "--scheduler", "tcp://127.0.0.1:9", "--connect-timeout", "1.5",
                 "--no-progress"])
    err = capsys.readouterr().err
    assert code == 2 and "tcp://127.0.0.1:9" in err and "Traceback" not in err
    assert "within 1.5 s" in err


def test_sweep_file_keys_are_checked(tmp_path):
    spec = load_sweep(_write(tmp_path, SWEEP))
    tasks = spec.tasks()
    assert [t.variant for t in tasks] == ["free", "c_fixed"]
    assert tasks[1].doc["parameters"]["c"] == {"value": 0.5, "units": "arb"}
    assert tasks[0].doc["inference"]["draws"] == 400
    assert Path(tasks[0].doc["datasets"][0]["file"]).is_absolute()
    assert tasks[0].data_key == tasks[1].data_key


def test_a_connect_timeout_that_is_not_positive_exits_2(tmp_path, capsys):
    path = _write(tmp_path, SWEEP)
    code = main(["sweep", str(path), "--out", str(tmp_path / "out"), "--scheduler",
                 "tcp://127.0.0.1:9", "--connect-timeout", "0", "--no-progress"])
    err = capsys.readouterr().err
    assert code == 2 and "--connect-timeout 0" in err and "Traceback" not in err
    assert not (tmp_path / "out").exists()
