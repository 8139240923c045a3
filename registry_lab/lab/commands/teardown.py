"""``scripts/lab teardown --stack aws --stack gcp [--yes] [--json]``: destroy the lab stacks.

Exit codes: 0 every stack destroyed, 1 at least one stack failed (the others were still
attempted), 2 nothing attempted (bad stack name, no pulumi CLI, not confirmed).
"""

import json
import sys

from registry_lab.lab import teardown
from registry_lab.lab.text_table import format_table

EXIT_DESTROYED = 0
EXIT_FAILED = 1
EXIT_NOTHING_DONE = 2


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser(
        "teardown",
        help="pulumi destroy every named lab stack, then report what is gone",
        description="Run pulumi destroy for each named stack after a confirmation, then "
        "report each stack as destroyed or with its error.",
    )
    parser.add_argument(
        "--stack", dest="stacks", action="append", required=True, metavar="NAME",
        help="a lab stack to destroy; repeat for more (e.g. --stack aws --stack gcp)",
    )
    parser.add_argument(
        "--yes", action="store_true", help="do not ask for confirmation (for scripts and CI)"
    )
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    parser.set_defaults(func=run)


def progress(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


def run(args) -> int:
    try:
        stacks = teardown.checked_stack_names(args.stacks)
        pulumi = teardown.find_pulumi()
        if not args.yes and not teardown.confirm(stacks, sys.stdin, sys.stderr):
            progress("teardown: nothing destroyed: not confirmed")
            return EXIT_NOTHING_DONE
    except teardown.TeardownError as error:
        progress(f"teardown: {error}")
        return EXIT_NOTHING_DONE

    results = teardown.teardown(stacks, pulumi, progress)

    if args.json:
        print(json.dumps({"stacks": [result.as_json() for result in results]}, indent=2))
    else:
        rows = [(result.stack, describe(result)) for result in results]
        sys.stdout.write(format_table(("STACK", "RESULT"), rows))

    if all(result.destroyed for result in results):
        return EXIT_DESTROYED
    return EXIT_FAILED


def describe(result: teardown.StackTeardown) -> str:
    if not result.destroyed:
        return f"failed: {result.error}"
    if result.resources_deleted is None:
        return "destroyed"
    return f"destroyed ({result.resources_deleted} resources deleted)"
