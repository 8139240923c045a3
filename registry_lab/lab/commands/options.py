"""Options and output shared by the lab's commands."""

import argparse
import sys
from pathlib import Path
from typing import Callable, Dict

from registry_lab.lab import container_cli, contracts, report as reports
from registry_lab.lab.failures import LabFailure
from registry_lab.lab.progress import Progress
from registry_lab.lab.report import Report


def add_contract_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--stack", action="append", default=[], metavar="NAME", type=non_empty,
                        help="a Pulumi stack whose outputs are a login contract (repeatable)")
    parser.add_argument("--contracts", action="append", default=[], type=Path, metavar="FILE",
                        help="a JSON file: one contract, or names mapped to contracts "
                             "(repeatable)")


STEP_CLI_DEFAULT = (f"{container_cli.OFFLINE_CLI} when every registry is an offline lab's "
                    f"(cloud {container_cli.OFFLINE_CLOUD!r}), else {container_cli.DEFAULT_CLI}")


def add_cli_option(parser: argparse.ArgumentParser, default: str = STEP_CLI_DEFAULT) -> None:
    parser.add_argument("--cli", metavar="PROGRAM", type=non_empty,
                        help=f"docker-compatible container CLI (default: "
                             f"${container_cli.CLI_VARIABLE}, else {default})")


def cli_for(args: argparse.Namespace, named: Dict[str, dict]) -> container_cli.ContainerCli:
    """The CLI --cli or REGISTRY_LAB_CLI names, else the default for these registries."""
    return container_cli.cli_from(args.cli, default=container_cli.default_for(named))


def non_empty(value: str) -> str:
    """An argument that names something: an empty one is a mistake, not "use the default"."""
    if not value:
        raise argparse.ArgumentTypeError("must not be empty")
    return value


def add_json_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true",
                        help="print the result as JSON on stdout instead of a table")


def registries(args: argparse.Namespace) -> Dict[str, dict]:
    return contracts.load(args.stack, args.contracts)


def report_and_exit(args: argparse.Namespace, work: Callable[[], Report]) -> int:
    """Run ``work``, then print its report: failures on stderr, the result on stdout."""
    try:
        report = work()
    except LabFailure as failure:
        report = Report(failures=[str(failure)], exit_code=failure.exit_code)

    for line in report.failures:
        print(f"error: {line}", file=sys.stderr)
    if args.json:
        print(reports.as_json(report))
    elif report.rows:
        print(reports.table(report))
    return report.exit_code


def add_step_command(subparsers, name: str, help_text: str, step: Callable,
                     uses_cli: bool = True) -> None:
    """A command that runs one lab step on every registry and reports like every other step.

    ``step(registries, [cli,] progress, report)`` fills the report; the container CLI is
    handed over only to steps that drive one.
    """
    parser = subparsers.add_parser(name, help=help_text)
    add_contract_options(parser)
    if uses_cli:
        add_cli_option(parser)
    add_json_option(parser)
    parser.set_defaults(func=lambda args: run_step(args, step, uses_cli))


def run_step(args: argparse.Namespace, step: Callable, uses_cli: bool) -> int:
    def work() -> Report:
        # Contracts first: a bad contract is reported before the CLI is even looked for.
        named = registries(args)
        tools = [cli_for(args, named)] if uses_cli else []

        report = Report()
        step(named, *tools, Progress(), report)
        return report

    return report_and_exit(args, work)
