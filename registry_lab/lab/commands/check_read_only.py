"""``scripts/lab check-read-only``: the pull-only identity pulls, and its push is denied."""

from registry_lab.lab import read_only
from registry_lab.lab.commands import options


def add_parser(subparsers) -> None:
    options.add_step_command(
        subparsers,
        "check-read-only",
        "prove each pull-only identity can pull and is denied a push",
        read_only.check_all,
    )
