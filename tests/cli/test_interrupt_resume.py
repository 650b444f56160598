"""Interrupt a REMC fit at several points, resume it, and get the uninterrupted result.

The interrupt is injected deterministically: the progress object of the REMC driver raises
``KeyboardInterrupt`` (what Ctrl-C and SIGTERM become) once a given number of steps is
reached. Each resumed run must start at the step the checkpoint recorded (not at 0), say
so, and the finished ``fit.nc`` must equal that of an uninterrupted run.
"""

from __future__ import annotations

import re

import numpy as np
import pytest

import bayesfit as bf
from bayesfit.cli.main import main
from bayesfit.inference.remc import _driver

MODEL = """title = "line"
[kernel]
name = "function"
[parameters]
a = { prior = "Normal", loc = 0.0, scale = 5.0 }
b = { prior = "Normal", loc = 0.0, scale = 5.0 }
[[datasets]]
name = "pos"
file = "data.csv"
x = "t"
y = "y"
expression = "a * x + b"
[inference]
method = "remc"
chains = 2
draws = 120
warmup = 60
seed = 3
[inference.options]
replicas = 4
move = "rwm"
start = "prior"
chunk = 20
checkpoint_every = 20
"""
TOTAL = 180  # warmup + draws


class _Spy:
    """Wraps the driver's progress object: records where each stage starts and raises
    KeyboardInterrupt when ``stop_at`` steps are reached."""

    def __init__(self, stop_at: int | None):
        self.stop_at, self.starts, self.n = stop_at, [], 0

    def __call__(self, total, desc, progress):
        spy = self

        class Bar:
            def __enter__(self):
                return self

            def __exit__(self, *exc):
                return False

            def update(self, k):
                if spy.n == 0 and not spy.starts:
                    spy.starts.append(k)
                spy.n += k
                if spy.stop_at is not None and spy.n >= spy.stop_at:
                    raise KeyboardInterrupt

        self.n = 0
        return Bar()


def _fit(monkeypatch, model, out, capsys, stop_at=None, resume=False):
    spy = _Spy(stop_at)
    monkeypatch.setattr(_driver, "bar", spy)
    argv = ["fit", str(model), "--out", str(out), "--no-plots"] + (["--resume"] if resume else [])
    rc = main(argv)
    cap = capsys.readouterr()
    return rc, cap.out + cap.err, spy


def _data(tmp_path):
    rng = np.random.default_rng(0)
    t = np.linspace(0, 3, 12)
    y = 2.0 * t - 1.0 + 0.1 * rng.standard_normal(t.size)
    (tmp_path / "data.csv").write_text("t,y\n" + "".join(f"{a},{b}\n" for a, b in zip(t, y, strict=True)))
    model = tmp_path / "m.toml"
    model.write_text(MODEL)
    return model


def test_interrupted_twice_then_resumed_equals_uninterrupted(tmp_path, monkeypatch):
    problem = bf.io.load_model(_data(tmp_path)).problem()  # one problem: compiled once
    ckpt = tmp_path / "checkpoint.npz"
    kw = dict(chains=2, draws=120, warmup=60, seed=3, progress=False)

    def remc(**extra):
        return bf.REMC(replicas=4, move="rwm", start="prior", chunk=20, checkpoint_every=20,
                       checkpoint=str(ckpt), **extra)

    for stop_at, resume, start in ((40, False, 0), (100, True, 20), (150, True, 80)):
        spy = _Spy(stop_at)
        monkeypatch.setattr(_driver, "bar", spy)
        with pytest.raises(KeyboardInterrupt):
            bf.fit(problem, remc(resume=resume), **kw)
        assert spy.starts == [start]  # resumed where the previous run stopped
    spy = _Spy(None)
    monkeypatch.setattr(_driver, "bar", spy)
    resumed = bf.fit(problem, remc(resume=True), **kw)
    assert spy.starts == [140] and spy.n == TOTAL
    monkeypatch.setattr(_driver, "bar", _Spy(None))
    fresh = bf.fit(problem, bf.REMC(replicas=4, move="rwm", start="prior", chunk=20), **kw)
    for name in ("a", "b", "sigma_pos"):
        np.testing.assert_array_equal(resumed.posterior[name].values,
                                      fresh.posterior[name].values)
    assert resumed.log_evidence == pytest.approx(fresh.log_evidence, abs=1e-12)


def test_cli_interrupt_says_how_to_resume_and_resume_says_where(tmp_path, monkeypatch, capsys):
    model = _data(tmp_path)
    out = tmp_path / "out"
    rc, text, spy = _fit(monkeypatch, model, out, capsys, stop_at=40)
    assert rc == 130
    assert re.search(r"interrupted; .* continue with: bayesfit fit .*m.toml --out .*out "
                     r"--resume", text), text
    assert spy.starts == [0] and (out / "checkpoint.npz").is_file()
    assert not (out / "fit.nc").exists()
    rc, text, spy = _fit(monkeypatch, model, out, capsys, resume=True)
    assert rc in (0, 3), text
    assert "stage 'posterior' resumes at step 20 of 180" in text, text
    assert spy.starts == [20] and spy.n == TOTAL
    assert (out / "fit.nc").is_file() and not (out / "checkpoint.npz").exists()
    # 2 runs x 120 draws cannot reach a bulk ESS of 200: finished, diagnostics failed
    assert rc == 3 and "Diagnostics FAILED" in text and "Exit status 3" in text
    failed = bf.load(out / "fit.nc").tree.attrs["diagnostics_failed"]
    assert "ess_bulk" in failed


def test_stage_lines_when_not_a_terminal(capsys):
    """A piped run gets plain lines: stage name, steps, elapsed time and an ETA."""
    from bayesfit._progress import bar

    with bar(100, "remc posterior", None) as b:
        for _ in range(10):
            b.update(10)
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 4
    assert re.fullmatch(r"remc posterior: 25/100 steps, \d+ s elapsed, ETA \d+ s|"
                        r"remc posterior: 30/100 steps, \d+ s elapsed, ETA \d+ s", err[0]), err
    assert err[-1].startswith("remc posterior: done, 100 steps in ")
    with bar(100, "quiet", False) as b:
        b.update(100)
    assert capsys.readouterr().err == ""
