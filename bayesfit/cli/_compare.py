"""``bayesfit compare A.nc B.nc ...``: rank models by log evidence and by PSIS-LOO."""

from __future__ import annotations

from pathlib import Path

from ..errors import BayesfitError

_SORT = {"evidence": ["log_evidence", "elpd_loo"], "loo": ["elpd_loo", "log_evidence"]}


def add_parser(sub) -> None:
    p = sub.add_parser(
        "compare", help="rank fitted models by log evidence (Bayes factors) and PSIS-LOO",
        description="Rank saved results (fit.nc) by log evidence (from method 'remc') and "
                    "by PSIS-LOO (needs the log_likelihood group). Values in nats; log_bf "
                    "and elpd_diff are relative to the best model.")
    p.add_argument("results", nargs="+", help="result files (.nc) or folders holding fit.nc")
    p.add_argument("--sort", choices=sorted(_SORT), default="evidence",
                   help="rank by log evidence (default) or by PSIS-LOO")
    p.add_argument("--csv", metavar="PATH", help="also write the table as CSV")
    p.set_defaults(run=run)


def _resolve(arg: str) -> Path:
    path = Path(arg)
    if path.is_dir():
        path = path / "fit.nc"
    if not path.is_file():
        raise BayesfitError(f"{arg}: no such result file; give a fit.nc or its folder.")
    return path


def run(args) -> int:
    from ..results import write_text_atomic
    from ..results._compare import compare

    paths = [_resolve(a) for a in args.results]
    names = [p.parent.name if p.name == "fit.nc" else p.stem for p in paths]
    table = compare(dict(zip(_unique(names), paths, strict=True)))
    table = table.sort_values(_SORT[args.sort], ascending=False, na_position="last")
    print(table.to_string(float_format=lambda v: f"{v:.3f}", na_rep="-"))
    noise = set(table.loc[table["log_evidence"].notna(), "noise"])
    if "free_energy" in noise and len(noise) > 1:
        print("(noise levels were treated differently: 'free_energy' evidences are "
              "p(data | sigma_hat), not marginalised over sigma; compare like with like)")
    if table["log_evidence"].isna().all():
        print("(no log evidence in these results: fit with method 'remc' to get it)")
    if table["elpd_loo"].isna().any():
        print("(PSIS-LOO needs the log_likelihood group: bayesfit.fit(..., log_likelihood=True))")
    if args.csv:
        write_text_atomic(args.csv, table.to_csv())
    return 0


def _unique(names: list[str]) -> list[str]:
    out: list[str] = []
    for n in names:
        while n in out:
            n += "'"
        out.append(n)
    return out
