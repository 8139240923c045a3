"""``scripts/lab teardown --stack aws --stack gcp [--yes] [--json]``: destroy the lab stacks.

Exit codes are the lab's (``exit_codes``): OK when every stack is destroyed, DESTROY_FAILED
when at least one failed (the others were still attempted); nothing is attempted on USAGE (a
bad stack name), CONTRACT (no pulumi CLI to reach the stacks) or NOT_CONFIRMED.
"""

import json
import sys

from registry_lab.lab import exit_codes, teardown
from registry_lab.lab.commands import options
from registry_lab.lab.text_table import format_table


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
    options.add_json_option(parser)
    parser.set_defaults(func=run)


def progress(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


def run(args) -> int:
    try:
        stacks = teardown.checked_stack_names(args.stacks)
        pulumi = teardown.find_pulumi()
        if not args.yes and not teardown.confirm(stacks, sys.stdin, sys.stderr):
            progress("error: nothing destroyed: not confirmed")
            return exit_codes.NOT_CONFIRMED
    except teardown.TeardownError as error:
        progress(f"error: {error}")
        return error.exit_code

    results = teardown.teardown(stacks, pulumi, progress)

    if args.json:
        print(json.dumps({"stacks": [result.as_json() for result in results]}, indent=2))
    else:
        rows = [(result.stack, describe(result)) for result in results]
        sys.stdout.write(format_table(("STACK", "RESULT"), rows))

    if all(result.destroyed for result in results):
        return exit_codes.OK
    return exit_codes.DESTROY_FAILED


def describe(result: teardown.StackTeardown) -> str:
    if not result.destroyed:
        return f"failed: {result.error}"
    if result.resources_deleted is None:
        return "destroyed"
    return f"destroyed ({result.resources_deleted} resources deleted)"
