"""``bayesfit summary FILE.nc``: the posterior table of a saved result."""

from __future__ import annotations


def add_parser(sub) -> None:
    p = sub.add_parser("summary", help="print the posterior summary of a result file")
    p.add_argument("result", help="result file written by `bayesfit fit` (fit.nc)")
    p.add_argument("--ci", type=float, default=0.95, help="interval probability (default 0.95)")
    p.set_defaults(run=run)


def run(args) -> int:
    from ..results import load
    from ._report import print_tables

    result = load(args.result)
    print(f"{args.result}: method {result.tree.attrs.get('method')}, groups "
          f"{list(result.tree.children)}")
    print_tables(result, ci_prob=args.ci)
    return 0
