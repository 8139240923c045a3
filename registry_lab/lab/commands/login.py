"""``scripts/lab login``: log the container CLI in to every registry as its push identity."""

from registry_lab.lab import container_cli, push
from registry_lab.lab.commands import options
from registry_lab.lab.progress import Progress
from registry_lab.lab.report import Report


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser("login", help="log in to every registry as its pusher")
    options.add_contract_options(parser)
    options.add_cli_option(parser)
    options.add_json_option(parser)
    parser.set_defaults(func=run)


def run(args) -> int:
    def work() -> Report:
        report = Report()
        push.log_in_all(options.registries(args), container_cli.cli_from(args.cli), Progress(),
                        report)
        return report
    return options.report_and_exit(args, work)
