"""``scripts/lab offline [up|run|down]``: the lab on two real registries on loopback.

``up`` starts the servers (installing them first if needed) and writes their contracts; ``run``
(the default) does ``up`` and then the same flow as the clouds; ``down`` logs the CLI out of
the lab's registries, removes the local tags made for them, stops everything and removes the
lab's files. The registries' TLS comes from a lab CA that only podman can be handed
(``--cert-dir``), so podman is the CLI here unless --cli or REGISTRY_LAB_CLI names another.
"""

import os
import sys
from pathlib import Path
from typing import List

from registry_lab.lab import container_cli, exit_codes, flow, offline
from registry_lab.lab.commands import options
from registry_lab.lab.failures import LabFailure
from registry_lab.lab.offline import control, survey
from registry_lab.lab.progress import Progress
from registry_lab.lab.report import Report

ACTIONS = ("up", "run", "down")


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser(
        "offline", help="the whole lab on two local registries, no cloud account needed")
    parser.add_argument("action", nargs="?", choices=ACTIONS, default="run",
                        help="up: start the registries; run (default): up, then every step; "
                             "down: log the CLI out of them, remove the local tags made "
                             "for them, stop them and remove their files")
    parser.add_argument("--workdir", type=Path, default=offline.DEFAULT_WORKDIR,
                        help="where the servers keep their files and the lab's state "
                             "(default: <repo>/.lab/offline); a relative path is from the "
                             "current directory, and up, run and down must name the same one")
    options.add_cli_option(parser, default=container_cli.OFFLINE_CLI)
    options.add_json_option(parser)
    parser.set_defaults(func=run)


def run(args) -> int:
    # Named in full in every message: a relative --workdir is the caller's working directory.
    args.workdir = args.workdir.resolve()
    try:
        return _act(args)
    except KeyboardInterrupt:
        # An up stops what it had started before the interrupt gets here.
        print(_interrupted(args), file=sys.stderr)
        return exit_codes.INTERRUPTED


def _act(args) -> int:
    if args.action == "down":
        return _down(args)
    if args.action == "up":
        return options.report_and_exit(args, lambda: _report_up(control.up(args.workdir)))

    def work() -> Report:
        cli = container_cli.cli_from(args.cli, default=container_cli.OFFLINE_CLI)
        return flow.run(control.up(args.workdir), cli, Progress())

    return options.report_and_exit(args, work)


def _interrupted(args) -> str:
    if args.action == "down":
        return (f"interrupted; the lab may be partly stopped: run "
                f"'{survey.command_for('down', args.workdir)}' again")
    if survey.has_lab(args.workdir):
        return (f"interrupted; the lab is still up: stop it with "
                f"'{survey.command_for('down', args.workdir)}'")
    return "interrupted; stopped what had started"


def _down(args) -> int:
    try:
        control.down(args.workdir, _clis_to_log_out(args))
    except LabFailure as failure:
        print(f"error: {failure}", file=sys.stderr)
        return failure.exit_code
    return exit_codes.OK


def _clis_to_log_out(args) -> List[container_cli.ContainerCli]:
    """The CLI named, else both: a login made with either may hold a lab password."""
    named = args.cli or os.environ.get(container_cli.CLI_VARIABLE)
    programs = [named] if named else [container_cli.OFFLINE_CLI, container_cli.DEFAULT_CLI]
    timeouts = container_cli.timeouts_from(os.environ)
    return [container_cli.ContainerCli(program, timeouts) for program in programs]


def _report_up(contracts: dict) -> Report:
    report = Report()
    for name, contract in contracts.items():
        report.row(name, contract["imageRef"])
    return report
