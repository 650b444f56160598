"""The ``bayesfit`` command.

Exit status: 0 success; 2 bad input (a message naming the file/line/parameter, no
traceback, nothing fitted or written); 3 the fit finished and its results are written,
but its diagnostics failed (R-hat, ESS, divergences, REMC round trips, evidence
estimators; listed in the summary block and in the result's ``diagnostics_failed``
attribute); 130 interrupted (Ctrl-C or SIGTERM; the message says how to resume).
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys

from .._version import __version__
from ..errors import BayesfitError

EXIT_OK = 0
EXIT_BAD_INPUT = 2
EXIT_DIAGNOSTICS_FAILED = 3
EXIT_INTERRUPTED = 130

# subcommand -> module with add_parser(subparsers) and run(args) -> int
_SUBCOMMANDS = {
    "fit": "bayesfit.cli._fit",
    "summary": "bayesfit.cli._summary",
    "simulate": "bayesfit.cli._simulate",
    "compare": "bayesfit.cli._compare",
    "sweep": "bayesfit.cli._sweep",
    "mi": "bayesfit.cli._mi",
    "fss": "bayesfit.cli._fss",
}


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # argparse already exits 2; keep the message short
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="bayesfit", description="Bayesian fits of physical models to data.")
    parser.add_argument("--version", action="version", version=f"bayesfit {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for module in _SUBCOMMANDS.values():
        try:
            importlib.import_module(module).add_parser(sub)
        except ModuleNotFoundError as err:  # a subcommand not shipped in this build
            if err.name != module:
                raise
    return parser


def main(argv: list[str] | None = None) -> int:
    os.environ.setdefault("MPLBACKEND", "Agg")
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "command", None):
        parser.print_help()
        return 2
    try:
        return int(args.run(args) or 0)
    except BayesfitError as err:
        print(f"bayesfit {args.command}: error: {err}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        hint = getattr(args, "resume_hint", "")
        print(f"bayesfit {args.command}: interrupted; no result file was left half-written."
              + (f" {hint}" if hint else ""), file=sys.stderr)
        return EXIT_INTERRUPTED


if __name__ == "__main__":
    sys.exit(main())
