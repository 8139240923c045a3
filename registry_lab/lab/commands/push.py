"""``scripts/lab push``: tag demo:v1 for every registry and push it, logging in before each."""

from registry_lab.lab import container_cli, push
from registry_lab.lab.commands import options
from registry_lab.lab.progress import Progress
from registry_lab.lab.report import Report


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser("push", help="push demo:v1 to every registry")
    options.add_contract_options(parser)
    options.add_cli_option(parser)
    options.add_json_option(parser)
    parser.set_defaults(func=run)


def run(args) -> int:
    def work() -> Report:
        report = Report()
        push.push_all(options.registries(args), container_cli.cli_from(args.cli), Progress(),
                      report)
        return report
    return options.report_and_exit(args, work)
