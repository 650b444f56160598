"""The ``bayesfit`` command. User errors print one message and exit with status 2."""

from __future__ import annotations

import argparse
import importlib
import os
import sys

from .._version import __version__
from ..errors import BayesfitError

# subcommand -> module with add_parser(subparsers) and run(args) -> int
_SUBCOMMANDS = {
    "fit": "bayesfit.cli._fit",
    "summary": "bayesfit.cli._summary",
    "simulate": "bayesfit.cli._simulate",
    "compare": "bayesfit.cli._compare",
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
        return 2
    except KeyboardInterrupt:
        print(f"bayesfit {args.command}: interrupted; no result file was left half-written.",
              file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
