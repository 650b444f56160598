"""Chains (NUTS) and runs (REMC) laid out over several devices give the draws of one device.

JAX on the CPU can pretend to have several devices
(``XLA_FLAGS=--xla_force_host_platform_device_count=2``); the flag must be set before JAX
starts, so the two-device run is its own process; the one-device run is made first, in the
test's process (the CPU's single device, the caller's XLA flags). Under scripts/test.sh's
compilation cache the second process then loads device 0's programs instead of compiling
them again (the cache key holds the device, not the device count). Three chains (runs) over
two devices: uneven blocks of 2 and 1 against one block of 3.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import jax
import numpy as np

ROOT = Path(__file__).resolve().parents[2]
MODEL = ROOT / "models" / "examples" / "relaxation.toml"
CHAINS = 3


def draws(model: Path) -> dict:
    """The NUTS draws, REMC draws and REMC log evidence of the relaxation example, with the
    number of local devices they were made on."""
    import bayesfit
    from bayesfit.io import load_model

    problem = load_model(model).problem()
    out = {"devices": np.array(jax.local_device_count())}
    # 100 + 100 steps: long enough that any rounding difference would have grown to O(1) (a
    # vmapped batch of 4 runs rounds differently from 1 run: 2e-14 after 10 steps, then
    # about tenfold every 3 steps, O(0.3) by 120), short of a converged posterior (not the
    # claim)
    res = bayesfit.fit(problem, bayesfit.NUTS(restarts=2), chains=CHAINS, draws=100,
                       warmup=100, seed=5, progress=False, predictive=False)
    out["nuts"] = np.stack([res.tree["posterior"][k].values for k in res.parameter_names])
    res = bayesfit.fit(problem, bayesfit.REMC(replicas=4, noise="free"), chains=CHAINS,
                       draws=100, warmup=100, seed=5, progress=False, predictive=False)
    out["remc"] = np.stack([res.tree["posterior"][k].values for k in res.parameter_names])
    out["remc_log_z"] = np.array(res.log_evidence)
    return out


def test_two_devices_give_the_draws_of_one(tmp_path):
    # keep the caller's XLA flags (scripts/test.sh compiles at optimisation level 0): both
    # runs compile with the same flags, only the device count differs
    flags = f"{os.environ.get('XLA_FLAGS', '')} --xla_force_host_platform_device_count=2"
    env = dict(os.environ, XLA_FLAGS=flags.strip(), PYTHONPATH=str(ROOT))
    out = tmp_path / "draws2.npz"
    code = ("import sys, numpy as np; from tests.inference.test_devices import draws; "
            "np.savez(sys.argv[2], **draws(sys.argv[1]))")
    one = draws(MODEL)
    proc = subprocess.run([sys.executable, "-c", code, str(MODEL), str(out)], env=env,
                          cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    with np.load(out) as f:
        two = dict(f)
    assert int(one["devices"]) == 1 and int(two["devices"]) == 2
    for method in ("nuts", "remc", "remc_log_z"):  # NUTS chains, REMC runs
        assert one[method].shape == two[method].shape
    assert one["nuts"].shape[1] == CHAINS
    # the same numbers, bit for bit (the issue asks 1e-10): every chain or run is the same
    # compiled one-chain program on any device, in blocks over the devices
    for method in ("nuts", "remc", "remc_log_z"):
        np.testing.assert_array_equal(two[method], one[method], err_msg=method)
