"""``scripts/lab check-read-only``: the pull-only identity pulls, and its push is denied."""

from registry_lab.lab import container_cli, read_only
from registry_lab.lab.commands import options
from registry_lab.lab.progress import Progress
from registry_lab.lab.report import Report


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser(
        "check-read-only", help="prove each pull-only identity can pull and is denied a push")
    options.add_contract_options(parser)
    options.add_cli_option(parser)
    options.add_json_option(parser)
    parser.set_defaults(func=run)


def run(args) -> int:
    def work() -> Report:
        report = Report()
        read_only.check_all(options.registries(args), container_cli.cli_from(args.cli),
                            Progress(), report)
        return report
    return options.report_and_exit(args, work)
