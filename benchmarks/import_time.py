"""Import time of ``bayesfit`` and of the CLI, before and after the lazy imports.

Each row is the median wall time of ``--repeat`` fresh interpreters (``python -X
importtime`` is not used: it slows imports down). "before" is the package as of
``--before`` (default: the commit before lazy imports), exported with ``git archive``
into a temporary folder and imported from there in the same run; "eager" is what the old
``bayesfit/__init__.py`` loaded, imported directly (the baseline a user pays when a
package imports its whole stack).

    python benchmarks/import_time.py [--repeat 5] [--before 4d0ef65]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from io import BytesIO
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EAGER = "import jax, numpyro, arviz, emcee, pandas, matplotlib.pyplot"


def _time(code: str, path: Path, repeat: int) -> float:
    env = os.environ | {"PYTHONPATH": str(path), "MPLBACKEND": "Agg"}
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], env=env, check=True, cwd=path,
                       stdout=subprocess.DEVNULL)
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def _export(ref: str, dest: Path) -> Path:
    blob = subprocess.run(["git", "archive", ref, "bayesfit"], cwd=ROOT, check=True,
                          capture_output=True).stdout
    with tarfile.open(fileobj=BytesIO(blob)) as tar:
        tar.extractall(dest, filter="data")
    return dest


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--before", default="4d0ef65")
    a = ap.parse_args()
    cases = {
        "import bayesfit": "import bayesfit",
        "bayesfit --version": "import sys; sys.argv = ['bayesfit', '--version']\n"
                              "from bayesfit.cli.main import main\ntry: main()\n"
                              "except SystemExit: pass",
        "import bayesfit; bayesfit.NUTS": "import bayesfit; bayesfit.NUTS",
    }
    with tempfile.TemporaryDirectory() as tmp:
        old = _export(a.before, Path(tmp))
        print(f"median of {a.repeat} fresh interpreters, {os.cpu_count()} CPUs; before = "
              f"{a.before}")
        print("| what | before (s) | after (s) | after / before |")
        print("|---|---|---|---|")
        for name, code in cases.items():
            b, n = _time(code, old, a.repeat), _time(code, ROOT, a.repeat)
            print(f"| {name} | {b:.2f} | {n:.2f} | {n / b:.2f} |", flush=True)
        e = _time(EAGER, ROOT, a.repeat)
        print(f"| eager stack ({EAGER[7:]}) | {e:.2f} | - | - |")
        print(f"| python -c pass | {_time('pass', ROOT, a.repeat):.2f} | - | - |")


if __name__ == "__main__":
    main()
