"""``scripts/lab login``: log the container CLI in to every registry as its push identity."""

from registry_lab.lab import push
from registry_lab.lab.commands import options


def add_parser(subparsers) -> None:
    options.add_step_command(
        subparsers,
        "login",
        "log in to every registry as its pusher",
        push.log_in_all,
    )
