"""``bayesfit fit MODEL.toml``: fit, save the result tree, the summary and the plots."""

from __future__ import annotations

import time
from pathlib import Path

from ..errors import BayesfitError
from ..inference import fit, make_method
from ..io import load_model
from ._report import write_report

CHECKPOINT = "checkpoint.npz"


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
    p.add_argument("--no-plots", action="store_true", help="skip the figures")
    p.add_argument("--progress", action=argparse_bool(), default=None,
                   help="force progress bars on/off (default: on in a terminal)")
    p.set_defaults(run=run)


def argparse_bool():
    import argparse

    return argparse.BooleanOptionalAction


def _method(spec, args, out: Path):
    inf = spec.inference
    name = args.method or inf.method
    options = dict(inf.options) if name == inf.method else {}
    method = make_method(name, options, where=f"{spec.path} [inference.options]")
    checkpointing = method.with_checkpoint(out / CHECKPOINT, resume=bool(args.resume))
    if checkpointing is None and args.resume:
        raise BayesfitError(f"method {name!r} does not checkpoint, so --resume has nothing to "
                            "continue; rerun without --resume (or use method 'remc').")
    return checkpointing or method


def run(args) -> int:
    spec = load_model(args.model)
    out = Path(args.out) if args.out else Path("results") / spec.path.stem
    for name in ("draws", "chains", "warmup"):
        v = getattr(args, name)
        if v is not None and v < (0 if name == "warmup" else 1):
            raise BayesfitError(f"--{name} {v}: must be {'>= 0' if name == 'warmup' else '>= 1'}.")
    problem = spec.problem()
    method = _method(spec, args, out)
    inf = spec.inference
    t0 = time.perf_counter()
    print(f"bayesfit fit: {spec.title}: {len(problem.parameter_names)} free parameters, "
          f"{len(problem.datasets)} dataset(s), method {method.name}")
    result = fit(
        problem, method,
        chains=args.chains or inf.chains,
        draws=args.draws or inf.draws,
        warmup=inf.warmup if args.warmup is None else args.warmup,
        seed=inf.seed if args.seed is None else args.seed,
        progress=args.progress, log_likelihood=True,
        predictions=getattr(spec.kernel, "predictions", dict)(),
    )
    elapsed = time.perf_counter() - t0
    result.tree.attrs["model_file"] = str(spec.path)
    result.tree.attrs["wall_time_s"] = round(elapsed, 2)
    files = write_report(result, out, plots=not args.no_plots)
    (out / CHECKPOINT).unlink(missing_ok=True)  # the run is complete: nothing to resume
    print(f"\nFinished in {elapsed:.1f} s. Results in {out}/:")
    for f, what in files:
        print(f"  {f.name:<28} {what}")
    return 0
