"""``scripts/lab compare``: read every copy's digests from its registry and give verdicts."""

from registry_lab.lab import compare
from registry_lab.lab.commands import options
from registry_lab.lab.progress import Progress
from registry_lab.lab.report import Report


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser(
        "compare", help="prove every copy of demo:v1 is the same image (exit 1 if not)")
    options.add_contract_options(parser)
    options.add_json_option(parser)
    parser.set_defaults(func=run)


def run(args) -> int:
    def work() -> Report:
        report = Report()
        compare.compare(options.registries(args), Progress(), report)
        return report
    return options.report_and_exit(args, work)
