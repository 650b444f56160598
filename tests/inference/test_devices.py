"""Chains (NUTS) and runs (REMC) laid out over several devices give the draws of one device.

JAX on the CPU can pretend to have several devices
(``XLA_FLAGS=--xla_force_host_platform_device_count=4``); the flag must be set before JAX
starts, so each device count runs in its own process.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = """
import sys
import numpy as np
import jax
import bayesfit
from bayesfit.io import load_model

problem = load_model(sys.argv[1]).problem()
out = {"devices": np.array(jax.local_device_count())}
# 100 + 100 steps: long enough that any rounding difference would have grown to O(1) (a
# vmapped batch of 4 runs rounds differently from 1 run: 2e-14 after 10 steps, then about
# tenfold every 3 steps, O(0.3) by 120), short of a converged posterior (not the claim)
res = bayesfit.fit(problem, bayesfit.NUTS(restarts=2), chains=4, draws=100, warmup=100,
                   seed=5, progress=False, predictive=False)
out["nuts"] = np.stack([res.tree["posterior"][k].values for k in res.parameter_names])
res = bayesfit.fit(problem, bayesfit.REMC(replicas=4, noise="free"), chains=4, draws=100,
                   warmup=100, seed=5, progress=False, predictive=False)
out["remc"] = np.stack([res.tree["posterior"][k].values for k in res.parameter_names])
out["remc_log_z"] = np.array(res.log_evidence)
np.savez(sys.argv[2], **out)
"""


def _draws(tmp: Path, devices: int) -> dict:
    script = tmp / "draws.py"
    script.write_text(SCRIPT)
    # keep the caller's XLA flags (scripts/test.sh compiles at optimisation level 0): both
    # processes compile with the same flags, only the device count differs
    flags = f"{os.environ.get('XLA_FLAGS', '')} --xla_force_host_platform_device_count={devices}"
    env = dict(os.environ, XLA_FLAGS=flags.strip(), PYTHONPATH=str(ROOT))
    out = tmp / f"draws{devices}.npz"
    model = ROOT / "models" / "examples" / "relaxation.toml"
    subprocess.run([sys.executable, str(script), str(model), str(out)], check=True, env=env,
                   cwd=ROOT, capture_output=True, text=True)
    with np.load(out) as f:
        return dict(f)


def test_four_devices_give_the_draws_of_one(tmp_path):
    one, four = _draws(tmp_path, 1), _draws(tmp_path, 4)
    assert int(one["devices"]) == 1 and int(four["devices"]) == 4
    for method in ("nuts", "remc", "remc_log_z"):  # NUTS chains, REMC runs
        assert one[method].shape == four[method].shape
    # the same numbers, bit for bit (the issue asks 1e-10): every chain or run is the same
    # compiled one-chain program on any device, in blocks over the devices
    for method in ("nuts", "remc", "remc_log_z"):
        np.testing.assert_array_equal(four[method], one[method], err_msg=method)
