"""``offline up`` and ``offline down`` as a person sees them: progress lines and one failure.

``up`` starts the lab unless all of it already runs, and refuses a lab that is only partly up;
``down`` first takes the lab's logins and local tags out of the container CLIs, then stops the
servers and removes the files, and on the default workdir names the labs it left alone.
"""

from pathlib import Path
from typing import Sequence

from registry_lab.lab import lab_leftovers
from registry_lab.lab.container_cli import ContainerCli
from registry_lab.lab.failures import OfflineLabFailure
from registry_lab.lab.offline import survey
from registry_lab.lab.offline.contracts import read_contracts
from registry_lab.lab.offline.errors import OfflineLabError
from registry_lab.lab.offline.lab import start, status, stop
from registry_lab.lab.offline.paths import CONTRACTS_FILE
from registry_lab.lab.progress import Progress


def up(workdir: Path) -> dict:
    """The running lab's contracts, starting its servers unless all of them already run."""
    progress = Progress()
    try:
        if _all_running(workdir):
            contracts = read_contracts(workdir)
            progress.step("offline", "lab", f"already up (files in {workdir})")
        elif survey.has_lab(workdir):
            raise OfflineLabFailure(_not_whole(workdir))
        else:
            progress.step("offline", "lab", f"starting two registries (files in {workdir})")
            contracts = start(workdir)
    except OfflineLabError as error:
        raise OfflineLabFailure(str(error)) from None

    for name, contract in contracts.items():
        progress.step("offline", name, f"serving https://{contract['registryHost']}")
    progress.step("offline", "lab", f"contracts in {workdir / CONTRACTS_FILE}")
    return contracts


def down(workdir: Path, clis: Sequence[ContainerCli] = ()) -> None:
    """Forget the lab in ``clis``, stop it and remove its files; OfflineLabFailure if it can't."""
    progress = Progress()
    lab_leftovers.forget(_saved_contracts(workdir), clis, progress)
    had_files = workdir.exists()
    try:
        stopped = stop(workdir)
    except OfflineLabError as error:
        raise OfflineLabFailure(str(error)) from None

    for server in stopped:
        progress.step("offline", server["registry"],
                      f"stopped {server['part']} ({server['program']}, pid {server['pid']})")
    if stopped:
        progress.step("offline", "lab", f"removed {workdir}")
    elif had_files:
        progress.step("offline", "lab", f"no server was running; removed {workdir}")
    else:
        progress.step("offline", "lab", "was not running")
    # A down on the default workdir that finds nothing looks for labs started with --workdir
    # beside it: a user who gave no --workdir may have forgotten the one used at up.
    if not stopped and survey.is_default(workdir):
        _point_at_other_labs(workdir, progress)


def _not_whole(workdir: Path) -> str:
    stopped = survey.stopped_parts(workdir)
    what = (f"{', '.join(stopped)} {'is' if len(stopped) == 1 else 'are'} not running"
            if stopped else "its start did not finish")
    return (f"the offline lab in {workdir} is not whole: {what}; start it afresh with "
            f"'{survey.command_for('down', workdir)}' then "
            f"'{survey.command_for('up', workdir)}'")


def _point_at_other_labs(workdir: Path, progress: Progress) -> None:
    """A down that found nothing names the labs it did not touch, so none is forgotten."""
    for other, running in survey.other_labs(workdir, survey.LABS_ROOT):
        servers = "server" if running == 1 else "servers"
        progress.step("offline", "lab", f"another lab has its state in {other} ({running} "
                      f"{servers} running); stop it with "
                      f"'{survey.command_for('down', other)}'")


def _saved_contracts(workdir: Path) -> dict:
    try:
        return read_contracts(workdir)
    except (OSError, ValueError):
        return {}


def _all_running(workdir: Path) -> bool:
    parts = [part for registry in status(workdir).values() for part in registry.values()]
    return bool(parts) and all(part["running"] for part in parts)
