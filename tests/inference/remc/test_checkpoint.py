"""Kill a checkpointing REMC run with SIGTERM, resume it, and get the uninterrupted run."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

import bayesfit
from bayesfit.inference.remc._checkpoint import Checkpoint

SCRIPT = Path(__file__).with_name("resume_script.py")
ROOT = Path(__file__).resolve().parents[3]


def _stage_progress(path: Path) -> int | None:
    """Step reached by the stage in progress in the checkpoint, or None."""
    try:
        with np.load(path) as f:
            keys = [k for k in f.files if k.startswith("part::") and k.endswith("::t")]
            return int(f[keys[0]]) if keys else None
    except (OSError, ValueError, EOFError):
        return None


def test_sigterm_then_resume_reproduces_the_uninterrupted_run(tmp_path):
    ckpt, out = tmp_path / "checkpoint.npz", tmp_path / "draws.npz"
    # both processes fit the same problem with the same options: a persistent compilation
    # cache (this test's own folder) lets the resuming process load the compiled programs
    # of the killed one instead of compiling them again (same executables, same numbers)
    env = os.environ | {"PYTHONPATH": str(ROOT),
                        "JAX_COMPILATION_CACHE_DIR": str(tmp_path / "jax_cache"),
                        "JAX_PERSISTENT_CACHE_MIN_COMPILE_TIME_SECS": "0"}
    proc = subprocess.Popen([sys.executable, str(SCRIPT), "run", str(ckpt), str(out)], env=env,
                            stderr=subprocess.PIPE, text=True)
    # generous guards against a hang only (on a loaded shared machine the import and the
    # compilation alone took over 300 s); the process never outlives the test
    deadline = time.monotonic() + 1800
    try:
        while _stage_progress(ckpt) is None:
            assert proc.poll() is None, proc.stderr.read()
            assert time.monotonic() < deadline, "no checkpoint written"
            time.sleep(0.02)
        proc.send_signal(signal.SIGTERM)
        err = proc.communicate(timeout=600)[1]
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode != 0, "the run finished before it was killed"
    assert "KeyboardInterrupt" in err
    reached = _stage_progress(ckpt)
    assert reached is not None and 100 <= reached < 1700  # killed mid-run, state saved

    subprocess.run([sys.executable, str(SCRIPT), "resume", str(ckpt), str(out)], env=env,
                   check=True, timeout=1800)
    with np.load(out) as f:
        for k in ("A", "tau", "c", "sigma_data"):
            # same seed stream: the resumed run continues the interrupted sequence exactly
            np.testing.assert_allclose(f[f"resumed_{k}"], f[f"fresh_{k}"], rtol=1e-10)
            np.testing.assert_array_equal(f[f"again_{k}"], f[f"resumed_{k}"])
        assert f["resumed_logz"] == pytest.approx(float(f["fresh_logz"]), abs=1e-8)


def test_resume_refuses_a_checkpoint_of_another_run(tmp_path, linear_gaussian):
    path = tmp_path / "checkpoint.npz"
    Checkpoint(str(path), "another run", every=10, resume=False).save_done(
        "posterior", {"x": np.zeros(2)})
    method = bayesfit.REMC(checkpoint=str(path), resume=True)
    with pytest.raises(bayesfit.BayesfitError, match="different run"):
        bayesfit.fit(linear_gaussian.problem, method, chains=2, draws=10, warmup=10)


def test_options_are_checked():
    for bad in (dict(replicas=2), dict(move="gibbs"), dict(noise="fixed"),
                dict(checkpoint_every=0), dict(target_accept=1.5), dict(noise_ref=2.0),
                dict(reference="laplace"), dict(inflation=0.5), dict(noise_low=0.0),
                dict(replicas=True), dict(mass=3)):
        with pytest.raises(bayesfit.BayesfitError, match="REMC"):
            bayesfit.REMC(**bad)
    with pytest.raises(bayesfit.BayesfitError, match="no option"):
        bayesfit.inference.make_method("remc", {"ladder": 3})
    # strings from model files become the option objects, in one place (_options.py)
    from bayesfit.inference.remc import Mass, Reference

    m = bayesfit.inference.make_method("remc", {"reference": "Gaussian", "mass": "dense"})
    assert m.reference is Reference.GAUSSIAN and m.mass is Mass.DENSE
    with pytest.raises(bayesfit.BayesfitError, match="'stabilized'.*'gaussian'.*'prior'"):
        bayesfit.REMC(reference="laplace")
