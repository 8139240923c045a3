"""The lab's command line: ``scripts/lab COMMAND ...``.

Progress goes to stderr, results to stdout (a table, or JSON with --json). A failure is one
clear line on stderr and a non-zero exit code from ``registry_lab.lab.exit_codes``.
"""

import argparse
import importlib
import sys
import traceback
from pathlib import Path
from typing import Optional, Sequence

from registry_lab.lab import exit_codes

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
    try:
        return args.func(args)
    # The last resort only: every known cause is a LabFailure with its own code. A bug left
    # is one line and its own exit code, never a traceback.
    except Exception as error:
        print(f"error: {internal_error(error)}", file=sys.stderr)
        return exit_codes.INTERNAL


def internal_error(error: Exception) -> str:
    """One line naming an unexpected error's type and where it was raised.

    Its message is left out: it may quote anything, a credential included.
    """
    frames = traceback.extract_tb(error.__traceback__)
    where = f" at {Path(frames[-1].filename).name}:{frames[-1].lineno}" if frames else ""
    return (f"the lab stopped on an unexpected {type(error).__name__}{where}; this is a bug in "
            "the lab: please report it with the command you ran")


if __name__ == "__main__":
    sys.exit(main())
