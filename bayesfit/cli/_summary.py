"""``bayesfit summary FILE.nc``: the posterior table of a saved result."""

from __future__ import annotations


def add_parser(sub) -> None:
    p = sub.add_parser("summary", help="print the posterior summary of a result file")
    p.add_argument("result", help="result file written by `bayesfit fit` (fit.nc)")
    p.add_argument("--ci", type=float, default=0.95, help="interval probability (default 0.95)")
    p.set_defaults(run=run)


def run(args) -> int:
    from ..results import load
    from ..results._optima import format_optima

    result = load(args.result)
    print(f"{args.result}: method {result.tree.attrs.get('method')}, groups "
          f"{list(result.tree.children)}")
    print(result.format_summary(ci_prob=args.ci))
    if result.log_evidence is not None:
        print(f"log evidence = {result.log_evidence:.3f} +- {result.log_evidence_err:.3f} nats")
    optima = format_optima(result)
    if optima:
        print(optima)
    return 0
