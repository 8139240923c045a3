"""``scripts/lab push``: tag demo:v1 for every registry and push it, logging in before each."""

from registry_lab.lab import push
from registry_lab.lab.commands import options


def add_parser(subparsers) -> None:
    options.add_step_command(
        subparsers,
        "push",
        "push demo:v1 to every registry",
        push.push_all,
    )
