"""``scripts/lab build``: build demo:v1 reproducibly and print its image ID."""

import sys

from registry_lab.lab import container_cli, demo_image, exit_codes
from registry_lab.lab.commands import options
from registry_lab.lab.failures import LabFailure
from registry_lab.lab.progress import Progress


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser("build", help="build demo:v1 from demo/ with fixed timestamps")
    options.add_cli_option(parser, default=container_cli.DEFAULT_CLI)
    parser.set_defaults(func=run)


def run(args) -> int:
    try:
        cli = container_cli.cli_from(args.cli)
        Progress().step("build", demo_image.LOCAL_REFERENCE,
                        f"building from {demo_image.CONTEXT}")
        image_id = demo_image.build(cli)
    except LabFailure as failure:
        print(f"error: {failure}", file=sys.stderr)
        return failure.exit_code
    print(image_id)
    return exit_codes.OK
