"""``bayesfit sweep SWEEP.toml``: many fits (model files x variants x seeds) on Dask.

Exit status: 0 when every fit finished with passing diagnostics, 2 for a bad sweep file or
model file (nothing was run), 3 when the sweep ran but some fit did not finish cleanly
(see the status column of sweep_summary.csv).
"""

from __future__ import annotations

import signal
import sys


def add_parser(sub) -> None:
    p = sub.add_parser(
        "sweep", help="run many fits (model files x variants x seeds) on Dask",
        description="Run every fit of a sweep file on an embedded local Dask cluster (or the "
                    "cluster at --scheduler), each into <out>/<fit name>/ exactly as "
                    "`bayesfit fit` writes it; finished fits are skipped on a rerun. Writes "
                    "sweep_summary.csv and, for fits of the same data, ranking.csv (log "
                    "evidence and PSIS-LOO).")
    p.add_argument("sweep", help="sweep file (TOML)")
    p.add_argument("--out", help="results folder (default: the sweep file's out, else "
                                 "results/<sweep file name>)")
    p.add_argument("--scheduler", metavar="ADDRESS",
                   help="address of a running Dask scheduler (default: a local cluster)")
    p.add_argument("--connect-timeout", type=float, default=10.0, metavar="SECONDS",
                   help="how long to wait for the scheduler at --scheduler to answer "
                        "(default: 10 s)")
    p.add_argument("--workers", type=int, metavar="N",
                   help="worker processes of the local cluster (default: min(cores, fits))")
    p.add_argument("--force", action="store_true",
                   help="rerun fits that already have results, replacing them")
    p.add_argument("--progress", action=_bool(), default=None,
                   help="force the progress bar on/off (default: on in a terminal)")
    p.set_defaults(run=run)


def _interrupt(signum, frame):
    raise KeyboardInterrupt


def _bool():
    import argparse

    return argparse.BooleanOptionalAction


def run(args) -> int:
    from ..errors import BayesfitError
    from ..sweeps import sweep

    if args.workers is not None and args.workers < 1:
        raise BayesfitError(f"--workers {args.workers}: must be >= 1.")
    # SIGTERM (a batch system's stop, `kill`) unwinds like Ctrl-C, so the embedded cluster
    # shuts its worker processes down instead of leaving them running; rerunning resumes
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        result = sweep(args.sweep, scheduler=args.scheduler, workers=args.workers,
                       out=args.out, force=args.force, progress=args.progress,
                       connect_timeout=args.connect_timeout)
    except KeyboardInterrupt:
        print("bayesfit sweep: interrupted; finished fits are kept in their folders and "
              "no result was left half-written. Run the same command again to run the "
              "fits that are missing.", file=sys.stderr)
        return 130
    cols = [c for c in ("name", "status", "wall_time_s", "log_evidence", "log_evidence_err",
                        "rhat_max") if c in result.table]
    print(result.table[cols].to_string(index=False, float_format=lambda v: f"{v:.4g}"))
    for key, frame in result.rankings.items():
        print(f"\nranking of the fits of the same data ({key.count(';') + 1} dataset(s)):")
        show = [c for c in ("log_evidence", "log_evidence_err", "log_bf", "log_bf_err",
                            "elpd_loo", "elpd_diff") if c in frame]
        print(frame[show].to_string(float_format=lambda v: f"{v:.3f}", na_rep="-"))
    bad = result.table[result.table["status"] != "ok"]
    for _, row in bad.iterrows():
        print(f"fit {row['name']}: {row['status']}: {row['message']}")
    print(f"\nsummary: {result.out / 'sweep_summary.csv'}")
    return 0 if result.ok else 3
