"""``scripts/lab compare``: read every copy's digests from its registry and give verdicts."""

from registry_lab.lab import compare
from registry_lab.lab.commands import options


def add_parser(subparsers) -> None:
    options.add_step_command(
        subparsers,
        "compare",
        "prove every copy of demo:v1 is the same image (exit 1 if not)",
        compare.compare,
        uses_cli=False,
    )
