"""``bayesfit fss TABLE.csv``: Bayesian finite-size scaling of a CSV table.

The table holds one row per (size L, temperature T) with one or more observables and their
standard errors. Each ``--observable VALUE:ERROR[:C2]`` names a value column and its error
column, and optionally its exponent c2: a number holds it fixed (0 for a Binder cumulant),
``LO..HI`` gives its uniform prior range (default -1..3); ``--correction [OMEGA]`` adds the
correction to scaling ``(1 + a L^-omega)``. Several observables are fitted
jointly, sharing T_c and c1 = 1/nu (Harada, PRE 84, 056704 (2011);
:func:`bayesfit.criticality.fit_fss_joint`).

Writes to ``--out`` (a new or empty folder; ``--force`` to replace): ``fss.nc`` (the
posterior and the data as an ArviZ DataTree), ``summary.csv``, ``raw.png`` and
``collapse.png`` (one panel per observable), and with ``--check`` (one observable)
``check.csv``: the leave-one-size-out comparison with the no-scaling model. Exit 3 when the
fit's diagnostics fail or ``--check`` finds no scaling; the files are written either way.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import BayesfitError
from ._outdir import check_output_folder


def add_parser(sub) -> None:
    p = sub.add_parser("fss", help="Bayesian finite-size scaling (T_c, 1/nu, exponents) of "
                                   "a CSV table (L, T, observables, errors)")
    p.add_argument("table", help="CSV file: one row per (L, T); '#' header lines allowed")
    p.add_argument("--observable", action="append", metavar="VALUE:ERROR[:C2]",
                   help="value column, its standard-error column, and optionally c2: a "
                        "number (fixed) or LO..HI (prior range, default -1..3); repeat for "
                        "a joint fit sharing T_c and 1/nu (default A:dA)")
    p.add_argument("--size", default="L", help="size column (default L)")
    p.add_argument("--temperature", default="T", help="temperature column (default T)")
    p.add_argument("--tc", metavar="LO..HI", help="uniform prior range of T_c, in the unit "
                   "of T (default: the temperature range of the data)")
    p.add_argument("--c1", metavar="LO..HI", default="0..3",
                   help="uniform prior range of c1 = 1/nu (default 0..3)")
    p.add_argument("--correction", nargs="?", const="free", metavar="OMEGA",
                   help="correction to scaling (1 + a L^-omega), a ~ N(0, 1): omega fixed at "
                        "OMEGA, or sampled in 0.5..3 when no value is given")
    p.add_argument("--sizes", metavar="L1,L2,...", help="use only these sizes")
    p.add_argument("--t-range", metavar="LO..HI", help="use only rows with T in this range")
    p.add_argument("--check", action="store_true", help="compare with the no-scaling "
                   "model, leaving one size out (one observable); exit 3 when scaling "
                   "is not supported")
    p.add_argument("--chains", type=int, default=2)
    p.add_argument("--draws", type=int, default=1000)
    p.add_argument("--warmup", type=int, default=500)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--out", required=True, help="output folder")
    p.add_argument("--force", action="store_true", help="replace what --out holds")
    p.add_argument("--no-plots", action="store_true", help="skip raw.png and collapse.png")
    p.set_defaults(run=run)


def _range(text: str, option: str) -> tuple[float, float]:
    parts = text.split("..")
    try:
        lo, hi = (float(v) for v in parts)
    except ValueError:
        raise BayesfitError(f"{option} {text!r}: give a range LO..HI of two numbers, e.g. "
                            "2.2..2.35.") from None
    if not lo < hi:
        raise BayesfitError(f"{option} {text!r}: LO must be below HI.")
    return lo, hi


def _observable(spec: str) -> tuple[str, str, float | tuple[float, float]]:
    parts = spec.split(":")
    if len(parts) not in (2, 3) or not all(parts[:2]):
        raise BayesfitError(f"--observable {spec!r}: give VALUE:ERROR or VALUE:ERROR:C2 "
                            "(column names; C2 a number or LO..HI), e.g. binder:dbinder:0.")
    c2: float | tuple[float, float] = (-1.0, 3.0)
    if len(parts) == 3:
        if ".." in parts[2]:
            c2 = _range(parts[2], f"--observable {spec!r}: C2")
        else:
            try:
                c2 = float(parts[2])
            except ValueError:
                raise BayesfitError(f"--observable {spec!r}: C2 = {parts[2]!r} is neither a "
                                    "number nor a range LO..HI.") from None
    return parts[0], parts[1], c2


def _positive(args) -> None:
    for name in ("chains", "draws", "warmup"):
        v = getattr(args, name)
        if v < 1:
            raise BayesfitError(f"--{name} {v}: must be a positive integer.")


def run(args) -> int:
    import numpy as np

    from .. import criticality as crit
    from .._atomic import write_text_atomic
    from ..io import write_table

    _positive(args)
    specs = [_observable(s) for s in (args.observable or ["A:dA"])]
    if args.check and len(specs) > 1:
        raise BayesfitError("--check compares one observable with the no-scaling model; "
                            "give a single --observable.")
    correction = None
    if args.correction == "free":
        correction = crit.Correction()
    elif args.correction is not None:
        try:
            omega = float(args.correction)
        except ValueError:
            omega = float("nan")
        if not omega > 0:
            raise BayesfitError(f"--correction {args.correction!r}: give the exponent omega "
                                "(a positive number), or no value to sample it.")
        correction = crit.Correction(omega=omega)
    tc = _range(args.tc, "--tc") if args.tc else None
    c1 = _range(args.c1, "--c1")
    t_range = _range(args.t_range, "--t-range") if args.t_range else None
    sizes = None
    if args.sizes:
        try:
            sizes = [float(v) for v in args.sizes.split(",")]
        except ValueError:
            raise BayesfitError(f"--sizes {args.sizes!r}: give sizes separated by commas, "
                                "e.g. 8,16,32.") from None
    path = Path(args.table)
    if not path.is_file():
        raise BayesfitError(f"{path}: table file not found.")
    tables = []
    for value, error, _ in specs:
        t = crit.read_fss_csv(path, size=args.size, temperature=args.temperature,
                              value=value, error=error)
        if sizes is not None or t_range is not None:
            missing = sorted(set(sizes or []) - set(t.sizes.tolist()))
            if missing:
                raise BayesfitError(f"--sizes: {path} has no rows of size(s) {missing}; it "
                                    f"holds {t.sizes.tolist()}.")
            t = t.select(sizes, t_range)
        tables.append(t)
    if tc is not None:
        lo, hi = tables[0].temperature.min(), tables[0].temperature.max()
        if tc[1] < lo or tc[0] > hi:
            raise BayesfitError(f"--tc {args.tc}: outside the temperatures of the data "
                                f"({lo:g} to {hi:g}); T_c could not be located there.")
    out = Path(args.out)
    check_output_folder(out, resume=False, force=args.force, command="bayesfit fss")

    models = [crit.FSSModel(crit.ScalingPriors(tc=tc, c1=c1, c2=c2), correction=correction)
              for *_, c2 in specs]
    options = crit.SamplerOptions(num_warmup=args.warmup, num_samples=args.draws,
                                  num_chains=args.chains, seed=args.seed)
    print(f"fss: {len(tables)} observable(s), sizes {tables[0].sizes.tolist()}, "
          f"{tables[0].size.size} rows; NUTS {args.chains} x ({args.warmup} + {args.draws})",
          flush=True)
    res = crit.fit_fss_joint(tables, models, shared=("tc", "c1"), options=options)
    res.save(out / "fss.nc")
    summary = res.summary()
    write_text_atomic(out / "summary.csv", summary.to_csv())
    print(summary.to_string())
    lo, hi = res.interval("tc")
    print(f"T_c 95% interval [{lo:.5g}, {hi:.5g}] (unit of {args.temperature}); "
          f"1/nu 95% [{res.interval('c1')[0]:.3g}, {res.interval('c1')[1]:.3g}]")
    failed = res.diagnostics()
    if args.check:
        check = crit.check_scaling(res)
        cols = check.row() | {"scaling_supported": float(check.scaling_supported)}
        write_table(out / "check.csv", {k: np.array([v]) for k, v in cols.items()},
                    ["check_scaling: collapse vs no scaling, leave one size out; elpd in nats; "
                     "tc in the unit of T"])
        print(check.report())
        if not check.scaling_supported:
            failed.append("the scaling check finds no finite-size scaling (check.csv): do "
                          "not report this T_c.")
    if not args.no_plots:
        _plots(res, specs, out)
    print(f"written to {out}: fss.nc, summary.csv"
          + (", check.csv" if args.check else "") + ("" if args.no_plots else
                                                      ", raw.png, collapse.png"))
    if failed:
        print(f"Diagnostics FAILED ({len(failed)}): do not trust these results yet.")
        for f in failed:
            print(f"  - {f}")
        return 3
    return 0


def _plots(res, specs, out: Path) -> None:
    import matplotlib.pyplot as plt  # the Agg backend: set by bayesfit.cli.main

    from .. import criticality as crit
    from .._atomic import write_atomic

    n = len(specs)
    for name, draw in (("raw", lambda ax, i: crit.plot_raw(res.tables[i], ax=ax,
                                                          ylabel=specs[i][0])),
                       ("collapse", lambda ax, i: crit.plot_collapse(
                           res, i, ax=ax, ylabel=f"{specs[i][0]} L^-c2"))):
        fig, axes = plt.subplots(1, n, figsize=(4.5 * n, 3.5), squeeze=False)
        for i in range(n):
            draw(axes[0, i], i)
        fig.tight_layout()
        write_atomic(out / f"{name}.png", lambda p, fig=fig: fig.savefig(p, format="png"))
        plt.close(fig)
