"""``scripts/lab run``: build, log in, push, compare and check pull-only, in that order."""

from registry_lab.lab import flow
from registry_lab.lab.commands import options
from registry_lab.lab.progress import Progress


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser("run", help="every step: build, login, push, compare, "
                                               "check-read-only")
    options.add_contract_options(parser)
    options.add_cli_option(parser)
    options.add_json_option(parser)
    parser.set_defaults(func=run)


def run(args) -> int:
    def work():
        named = options.registries(args)
        return flow.run(named, options.cli_for(args, named), Progress())

    return options.report_and_exit(args, work)
