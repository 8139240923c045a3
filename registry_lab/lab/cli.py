"""The lab's command line: ``scripts/lab COMMAND ...``.

Progress goes to stderr, results to stdout (a table, or JSON with --json). A failure is one
clear line on stderr and a non-zero exit code from ``registry_lab.lab.exit_codes``.
"""

import argparse
import importlib
import sys
from typing import Optional, Sequence

# Each module adds its own subcommand, so commands stay one concern per file.
COMMAND_MODULES = (
    "build",
    "login",
    "push",
    "compare",
    "check_read_only",
    "run",
    "offline",
    "teardown",
    "ratelimit",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="scripts/lab",
        description="Drive registry-lab's registries from their login contracts.",
    )
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(f"registry_lab.lab.commands.{name}").add_parser(subparsers)
    return parser


def main(argv: Optional[Sequence[str]] = None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
