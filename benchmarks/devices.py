"""Benchmark: one REMC fit (runs) and one NUTS fit (chains) on 1 device vs laid out over 4.

Each device count runs in its own process (``XLA_FLAGS=--xla_force_host_platform_device_count``
must be set before JAX starts); on a CPU the "devices" share the same cores, so this
measures the overhead of the layout and checks that the draws agree; on a machine with
several accelerators set ``--real`` to use them as they are. The fit: the relaxation
example (models/examples/relaxation.toml): REMC with 4 runs of 8 replicas, and NUTS with 4 chains.

Run: ``.venv/bin/python benchmarks/devices.py [--runs 4] [--draws 300]``.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

CHILD = """
import json, sys, time
import numpy as np
import jax
import bayesfit
from bayesfit.io import load_model

runs, draws, method = int(sys.argv[2]), int(sys.argv[3]), sys.argv[5]
problem = load_model(sys.argv[1]).problem()
m = bayesfit.REMC(replicas=8, noise="free") if method == "remc" else bayesfit.NUTS()
t0 = time.perf_counter()
res = bayesfit.fit(problem, m, chains=runs, draws=draws, warmup=draws, seed=11,
                   progress=False, predictive=False)
wall = time.perf_counter() - t0
z = np.stack([res.tree["posterior"][k].values for k in res.parameter_names])
np.save(sys.argv[4], z)
print(json.dumps({"devices": jax.local_device_count(), "wall": wall,
                  "platform": jax.devices()[0].platform}))
"""


def run(devices: int | None, method: str, args, tmp: Path) -> dict:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    if devices is not None:
        env["XLA_FLAGS"] = f"--xla_force_host_platform_device_count={devices}"
    script = tmp / "child.py"
    script.write_text(CHILD)
    out = tmp / f"z{method}{devices}.npy"
    p = subprocess.run([sys.executable, str(script),
                        str(ROOT / "models" / "examples" / "relaxation.toml"),
                        str(args.runs), str(args.draws), str(out), method],
                       env=env, capture_output=True, text=True, check=True)
    info = json.loads(p.stdout.strip().splitlines()[-1])
    info["z"] = out
    return info


def main() -> None:
    import numpy as np

    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=4)
    ap.add_argument("--draws", type=int, default=300)
    ap.add_argument("--real", action="store_true", help="use the machine's own devices")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="bayesfit-devices-"))
    print(f"relaxation example, {args.runs} chains (NUTS) / runs (REMC, 8 replicas), "
          f"{args.draws} + {args.draws} steps; wall time includes compilation")
    print("| method | devices | platform | wall [s] | ratio to 1 device | max abs diff of draws |")
    print("|---|---|---|---|---|---|")
    summary = {}
    for method in ("remc", "nuts"):
        one = run(1, method, args, tmp)
        many = run(None if args.real else 4, method, args, tmp)
        diff = float(np.max(np.abs(np.load(many["z"]) - np.load(one["z"]))))
        for r in (one, many):
            print(f"| {method} | {r['devices']} | {r['platform']} | {r['wall']:.1f} | "
                  f"{r['wall'] / one['wall']:.2f} | {diff if r is many else 0.0:.1e} |")
        summary[method] = {"one": one["wall"], "many": many["wall"], "max_abs_diff": diff}
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
