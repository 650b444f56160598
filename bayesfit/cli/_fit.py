"""``bayesfit fit MODEL.toml``: fit, save the result tree, the summary and the plots.

Everything is checked before the fit starts (the model file, the data, the output folder);
the diagnostics are checked after it (``bayesfit/results/_checks.py``): exit status 3 when
the fit finished but they failed (see ``bayesfit.cli.main``).
"""

from __future__ import annotations

import argparse
import shlex
import time
import warnings
from pathlib import Path

from ..errors import BayesfitError
from ._outdir import CHECKPOINT, check_output_folder


def add_parser(sub) -> None:
    p = sub.add_parser("fit", help="fit a model file to its data")
    p.add_argument("model", help="model file (TOML)")
    p.add_argument("--out", help="output folder (default: results/<model name>)")
    p.add_argument("--method", help="inference method (overrides [inference] method)")
    p.add_argument("--seed", type=int, help="random seed (overrides [inference] seed)")
    p.add_argument("--draws", type=int, help="draws per chain (overrides [inference] draws)")
    p.add_argument("--warmup", type=int, help="warm-up steps (overrides [inference] warmup)")
    p.add_argument("--chains", type=int, help="chains (overrides [inference] chains)")
    p.add_argument("--resume", action="store_true",
                   help="continue an interrupted run from its checkpoint in --out")
    p.add_argument("--force", action="store_true",
                   help="overwrite what --out holds (an earlier fit); without it such a "
                        "folder is refused")
    p.add_argument("--no-plots", action="store_true", help="skip the figures")
    p.add_argument("--progress", action=argparse.BooleanOptionalAction, default=None,
                   help="force progress bars on/off (default: bars in a terminal, a few "
                        "lines per stage otherwise)")
    p.set_defaults(run=run)


def _method(spec, args, out: Path):
    from ..inference import available_methods, make_method

    inf = spec.inference
    stray = sorted(set(inf.per_method) - set(available_methods()))
    if stray:
        raise BayesfitError(f"{spec.path}: [inference.{stray[0]}] names no inference method; "
                            f"tables [inference.<method>] take one of "
                            f"{', '.join(available_methods())}.")
    name = args.method or inf.method
    tables = (["[inference.options]"] if name == inf.method else []) + \
        ([f"[inference.{name}]"] if name in inf.per_method else [])
    where = f"{spec.path} {' + '.join(tables) or '(no options)'}"
    method = make_method(name, inf.options_for(name), where=where)
    with_checkpoint = getattr(method, "with_checkpoint", None)  # a bayesfit Method
    checkpointing = with_checkpoint(out / CHECKPOINT, resume=bool(args.resume)) \
        if with_checkpoint is not None else None
    if checkpointing is None and args.resume:
        raise BayesfitError(f"method {name!r} does not checkpoint, so --resume has nothing to "
                            "continue; rerun without --resume (or use method 'remc').")
    return checkpointing or method


def _resume_report(path: Path, total: int) -> str:
    """Which stages of the checkpointed run are finished and where the next one stands."""
    import numpy as np

    try:
        with np.load(path, allow_pickle=False) as f:
            keys = list(f.files)
            done = sorted({k.split("::")[1] for k in keys if k.startswith("done::")})
            part = {k.split("::")[1]: int(f[k]) for k in keys
                    if k.startswith("part::") and k.endswith("::t")}
    except (OSError, ValueError) as err:
        raise BayesfitError(f"{path}: the checkpoint cannot be read ({err}); delete it, or "
                            "rerun with --force instead of --resume.") from None
    parts = [f"finished stages: {', '.join(done) if done else 'none'}"]
    parts += [f"stage '{s}' resumes at step {t} of {total}" for s, t in part.items()]
    if not part:
        parts.append("the next stage starts at step 0")
    return f"resuming from {path}: " + "; ".join(parts) + "."


def run(args) -> int:
    from ..inference import fit
    from ..io import load_model
    from ..results._checks import format_block
    from .main import EXIT_DIAGNOSTICS_FAILED, EXIT_OK

    spec = load_model(args.model)
    out = Path(args.out) if args.out else Path("results") / spec.path.stem
    for name in ("draws", "chains", "warmup"):
        v = getattr(args, name)
        if v is not None and v < (0 if name == "warmup" else 1):
            raise BayesfitError(f"--{name} {v}: must be {'>= 0' if name == 'warmup' else '>= 1'}.")
    problem = spec.problem()  # reads and checks every data file
    method = _method(spec, args, out)
    command = f"bayesfit fit {shlex.quote(str(args.model))} --out {shlex.quote(str(out))}"
    check_output_folder(out, resume=args.resume, force=args.force, command=command)
    inf = spec.inference
    draws, warmup = args.draws or inf.draws, inf.warmup if args.warmup is None else args.warmup
    if getattr(method, "checkpoint", None):
        args.resume_hint = (f"The checkpoint {out / CHECKPOINT} holds the run so far; continue "
                            f"with: {command} --resume (same options).")
    else:
        args.resume_hint = (f"Method {method.name!r} does not checkpoint: rerun the command "
                            "(with --force) to start again.")
    t0 = time.perf_counter()
    print(f"bayesfit fit: {spec.title}: {len(problem.parameter_names)} free parameters, "
          f"{len(problem.datasets)} dataset(s), method {method.name}", flush=True)
    if args.resume:
        print(_resume_report(out / CHECKPOINT, warmup + draws), flush=True)
    with warnings.catch_warnings():  # the diagnostics block below says it once
        warnings.filterwarnings("ignore", message="Diagnostics FAILED")
        result = fit(
            problem, method,
            chains=args.chains or inf.chains, draws=draws, warmup=warmup,
            seed=inf.seed if args.seed is None else args.seed,
            progress=args.progress, log_likelihood=True,
            predictions=getattr(spec.kernel, "predictions", dict)(),
        )
    elapsed = time.perf_counter() - t0
    result.tree.attrs["model_file"] = str(spec.path)
    result.tree.attrs["wall_time_s"] = round(elapsed, 2)
    from ._report import write_report

    files = write_report(result, out, plots=not args.no_plots)
    if getattr(method, "checkpoint", None):  # the run is complete: nothing left to resume
        Path(method.checkpoint).unlink(missing_ok=True)
    print(f"\nFinished in {elapsed:.1f} s. Results in {out}/:")
    for f, what in files:
        print(f"  {f.name:<28} {what}")
    failed = _diagnostics(result)
    print("\n" + format_block(failed))
    if failed:
        print("Exit status 3: the fit finished, its diagnostics failed.")
        return EXIT_DIAGNOSTICS_FAILED
    return EXIT_OK


def _diagnostics(result) -> list[str]:
    from ..results._checks import recorded_failures

    return recorded_failures(result.tree.attrs)
