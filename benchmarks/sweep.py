"""Benchmark: a sweep of N small fits, serial loops vs the embedded local Dask cluster.

The fits: the relaxation example (models/examples/relaxation.toml; NUTS, 2 chains,
300 + 300 steps) under N seeds. Compared in one run:
  * ``shell loop``: ``bayesfit fit`` once per fit, one process after another (what a user
    writes in a shell script: every fit pays the start-up and the compilation);
  * ``python loop``: ``bayesfit.cli.main.main(["fit", ...])`` in one process, one after
    another (start-up once; compiled code reused where JAX's cache allows);
  * ``dask sweep``: ``bayesfit.sweep`` on an embedded ``LocalCluster`` of W processes.
The overhead per task is the sweep's wall time minus the fits' own time (sum of the fit wall
times recorded by the workers / W), per task, times W.

Run: ``.venv/bin/python benchmarks/sweep.py [--fits 8] [--workers 2]``.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MODEL = ROOT / "models" / "examples" / "relaxation.toml"


def sweep_file(folder: Path, n: int) -> Path:
    path = folder / "bench.toml"
    path.write_text(f"""
[sweep]
title = "benchmark"
models = ["{MODEL}"]
seeds = {list(range(n))}
plots = false
[sweep.set]
"inference.chains" = 2
"inference.draws" = 300
"inference.warmup" = 300
""")
    return path


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--fits", type=int, default=8)
    ap.add_argument("--workers", type=int, default=2)
    args = ap.parse_args()
    import bayesfit
    from bayesfit.cli.main import main as cli

    tmp = Path(tempfile.mkdtemp(prefix="bayesfit-sweep-bench-"))
    spec = sweep_file(tmp, args.fits)
    rows = []

    t0 = time.perf_counter()
    res = bayesfit.sweep(spec, out=tmp / "dask", workers=args.workers, progress=False)
    t_dask = time.perf_counter() - t0
    # a timing benchmark: fits whose diagnostics fail (short chains) are complete results too
    done = res.table["status"].isin(["ok", "diagnostics_failed"])
    assert done.all(), res.table[["name", "status", "message"]]
    models = [tmp / "dask" / ".models" / f"{n}.toml" for n in res.table["name"]]
    seeds = list(res.table["seed"])
    fit_time = float(res.table["wall_time_s"].sum())

    t0 = time.perf_counter()
    for i, (m, s) in enumerate(zip(models, seeds, strict=True)):
        code = cli(["fit", str(m), "--out", str(tmp / "py" / str(i)), "--seed", str(s),
                    "--no-progress", "--no-plots"])
        assert code in (0, 3)  # 3: finished, diagnostics failed
    t_py = time.perf_counter() - t0

    t0 = time.perf_counter()
    for i, (m, s) in enumerate(zip(models, seeds, strict=True)):
        p = subprocess.run([sys.executable, "-m", "bayesfit.cli.main", "fit", str(m), "--out",
                            str(tmp / "sh" / str(i)), "--seed", str(s), "--no-progress",
                            "--no-plots"], capture_output=True, text=True)
        assert p.returncode in (0, 3), p.stderr
    t_sh = time.perf_counter() - t0

    overhead = (t_dask - fit_time / args.workers) * args.workers / args.fits
    rows = [("shell loop (bayesfit fit x N)", t_sh), ("python loop (one process)", t_py),
            (f"dask sweep ({args.workers} workers)", t_dask)]
    print(f"\n{args.fits} fits of {MODEL.name} (NUTS 2 x (300 + 300)), "
          f"{args.workers} Dask worker processes")
    print(f"| {'route':<32} | wall [s] | vs dask sweep |")
    print(f"|{'-' * 34}|----------|---------------|")
    for name, t in rows:
        print(f"| {name:<32} | {t:8.1f} | {t / t_dask:12.2f}x |")
    print(f"\nfit time inside the workers: {fit_time:.1f} s in all, "
          f"{fit_time / args.fits:.1f} s per fit; sweep overhead per task: {overhead:.1f} s "
          "(cluster start, worker imports, scheduling, result checks)")


if __name__ == "__main__":
    main()
