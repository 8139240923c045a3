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
from typing import List, Sequence

from registry_lab.lab import container_cli, exit_codes, flow, lab_leftovers, offline
from registry_lab.lab.commands import options
from registry_lab.lab.failures import BadSetting, OfflineLabFailure
from registry_lab.lab.offline import survey
from registry_lab.lab.progress import Progress
from registry_lab.lab.report import Report

OFFLINE_CLI = container_cli.OFFLINE_CLI

# A down on the default workdir that finds nothing there looks for labs started with
# --workdir beside it: a user who gave no --workdir may have forgotten the one used at up.
DEFAULT_WORKDIR = offline.DEFAULT_WORKDIR
LABS_ROOT = survey.LABS_ROOT
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
    options.add_cli_option(parser, default=OFFLINE_CLI)
    options.add_json_option(parser)
    parser.set_defaults(func=run)


def run(args) -> int:
    # Named in full in every message: a relative --workdir is the caller's working directory.
    args.workdir = args.workdir.resolve()
    if args.action == "down":
        try:
            clis = _clis_to_log_out(args)
        except BadSetting as failure:
            print(f"error: {failure}", file=sys.stderr)
            return failure.exit_code
        return down(args.workdir, clis)
    if args.action == "up":
        return options.report_and_exit(args, lambda: _report_up(up(args.workdir)))

    def work() -> Report:
        cli = container_cli.cli_from(args.cli, default=OFFLINE_CLI)
        return flow.run(up(args.workdir), cli, Progress())

    return options.report_and_exit(args, work)


def up(workdir: Path) -> dict:
    """The running lab's contracts, starting its servers unless all of them already run."""
    progress = Progress()
    try:
        if _all_running(workdir):
            contracts = offline.read_contracts(workdir)
            progress.step("offline", "lab", f"already up (files in {workdir})")
        elif survey.has_lab(workdir):
            raise OfflineLabFailure(_not_whole(workdir))
        else:
            progress.step("offline", "lab", f"starting two registries (files in {workdir})")
            contracts = offline.start(workdir)
    except offline.OfflineLabError as error:
        raise OfflineLabFailure(str(error)) from None

    for name, contract in contracts.items():
        progress.step("offline", name, f"serving https://{contract['registryHost']}")
    progress.step("offline", "lab", f"contracts in {workdir / offline.CONTRACTS_FILE}")
    return contracts


def down(workdir: Path, clis: Sequence[container_cli.ContainerCli] = ()) -> int:
    progress = Progress()
    lab_leftovers.forget(_saved_contracts(workdir), clis, progress)
    had_files = workdir.exists()
    try:
        stopped = offline.stop(workdir)
    except offline.OfflineLabError as error:
        print(f"error: {error}", file=sys.stderr)
        return exit_codes.OFFLINE_LAB

    for server in stopped:
        progress.step("offline", server["registry"],
                      f"stopped {server['part']} ({server['program']}, pid {server['pid']})")
    if stopped:
        progress.step("offline", "lab", f"removed {workdir}")
    elif had_files:
        progress.step("offline", "lab", f"no server was running; removed {workdir}")
    else:
        progress.step("offline", "lab", "was not running")
    if not stopped and workdir == DEFAULT_WORKDIR.resolve():
        _point_at_other_labs(workdir, progress)
    return exit_codes.OK


def _not_whole(workdir: Path) -> str:
    stopped = survey.stopped_parts(workdir)
    what = (f"{', '.join(stopped)} {'is' if len(stopped) == 1 else 'are'} not running"
            if stopped else "its start did not finish")
    return (f"the offline lab in {workdir} is not whole: {what}; start it afresh with "
            f"'{survey.command_for('down', workdir)}' then "
            f"'{survey.command_for('up', workdir)}'")


def _point_at_other_labs(workdir: Path, progress: Progress) -> None:
    """A down that found nothing names the labs it did not touch, so none is forgotten."""
    for other, running in survey.other_labs(workdir, LABS_ROOT):
        servers = "server" if running == 1 else "servers"
        progress.step("offline", "lab", f"another lab has its state in {other} ({running} "
                      f"{servers} running); stop it with "
                      f"'{survey.command_for('down', other)}'")


def _clis_to_log_out(args) -> List[container_cli.ContainerCli]:
    """The CLI named, else both: a login made with either may hold a lab password."""
    named = args.cli or os.environ.get(container_cli.CLI_VARIABLE)
    programs = [named] if named else [container_cli.OFFLINE_CLI, container_cli.DEFAULT_CLI]
    timeouts = container_cli.timeouts_from(os.environ)
    return [container_cli.ContainerCli(program, timeouts) for program in programs]


def _saved_contracts(workdir: Path) -> dict:
    try:
        return offline.read_contracts(workdir)
    except (OSError, ValueError):
        return {}


def _all_running(workdir: Path) -> bool:
    parts = [part for registry in offline.status(workdir).values() for part in registry.values()]
    return bool(parts) and all(part["running"] for part in parts)


def _report_up(contracts: dict) -> Report:
    report = Report()
    for name, contract in contracts.items():
        report.row(name, contract["imageRef"])
    return report
