"""``offline up`` and ``offline down`` as a person sees them: progress lines and one failure.

``up`` starts the lab unless all of it already runs, and refuses a lab that is only partly up;
``down`` first takes the lab's logins and local tags out of the container CLIs, then stops the
servers and removes the files, and on the default workdir names the labs it left alone. Each
holds the workdir's lock throughout, so two of them never act on one lab at once.

``down`` logs out of, and untags, only the lab's own fronts: the 127.0.0.1:PORT hosts its
state records (or, with the state gone, where its running fronts listen), each as its
contracts.json names it. A damaged contracts.json skips that step: the servers are stopped
all the same, and the damage is the failure reported.
"""

from pathlib import Path
from typing import Dict, Optional, Sequence

from registry_lab.lab import lab_leftovers
from registry_lab.lab.container_cli import OFFLINE_CLOUD, ContainerCli
from registry_lab.lab.failures import OfflineLabFailure
from registry_lab.lab.offline import survey
from registry_lab.lab.offline.contracts import contracts_path, image_ref, read_contracts
from registry_lab.lab.offline.errors import OfflineLabError
from registry_lab.lab.offline.front import check_workdir
from registry_lab.lab.offline.lab import (EMPTIED, REMOVED, UNTOUCHED, Teardown, fronts,
                                          start, status, teardown)
from registry_lab.lab.offline.lock import workdir_lock
from registry_lab.lab.offline.paths import CONTRACTS_FILE
from registry_lab.lab.progress import Progress

# A kept workdir's message names this many of the files the lab did not make.
FOREIGN_SHOWN = 3


def up(workdir: Path) -> dict:
    """The running lab's contracts, starting its servers unless all of them already run."""
    progress = Progress()
    try:
        check_workdir(workdir)
        with workdir_lock(workdir):
            contracts = _up(workdir, progress)
    except OfflineLabError as error:
        raise OfflineLabFailure(str(error)) from None

    for name, contract in contracts.items():
        progress.step("offline", name, f"serving https://{contract['registryHost']}")
    progress.step("offline", "lab", f"contracts in {workdir / CONTRACTS_FILE}")
    return contracts


def _up(workdir: Path, progress: Progress) -> dict:
    if _all_running(workdir):
        progress.step("offline", "lab", f"already up (files in {workdir})")
        try:
            return read_contracts(workdir)
        except OfflineLabError as damage:
            raise OfflineLabFailure(f"{damage}; {_afresh(workdir)}") from None
    if survey.has_lab(workdir):
        raise OfflineLabFailure(_not_whole(workdir))
    progress.step("offline", "lab", f"starting two registries (files in {workdir})")
    return start(workdir)


def down(workdir: Path, clis: Sequence[ContainerCli] = ()) -> None:
    """Forget the lab in ``clis``, stop it and remove its files; OfflineLabFailure if it can't.

    A damaged contracts.json is that failure too, raised once the servers are stopped.
    """
    progress = Progress()
    try:
        with workdir_lock(workdir):
            damage = _forget(workdir, clis, progress)
            result = teardown(workdir)
    except OfflineLabError as error:
        raise OfflineLabFailure(str(error)) from None

    _report(workdir, result, progress)
    # A down on the default workdir that finds nothing looks for labs started with --workdir
    # beside it: a user who gave no --workdir may have forgotten the one used at up.
    if not result.stopped and survey.is_default(workdir):
        _point_at_other_labs(workdir, progress)
    if damage:
        raise OfflineLabFailure(f"{damage}; the lab's servers were stopped, but no CLI was "
                                "logged out of them and no local tag was removed")


def _forget(workdir: Path, clis: Sequence[ContainerCli], progress: Progress) -> Optional[str]:
    """Log ``clis`` out of the lab's fronts and untag them; the damage found instead, if any."""
    hosts = fronts(workdir)
    if not hosts:
        return None
    if contracts_path(workdir).exists():
        try:
            hosts = _named_in_contracts(hosts, read_contracts(workdir), progress)
        except OfflineLabError as damage:
            return str(damage)
    lab_leftovers.forget(hosts, clis, progress)
    return None


def _named_in_contracts(hosts: Dict[str, str], contracts: Dict[str, dict],
                        progress: Progress) -> Dict[str, str]:
    """The lab's fronts as contracts.json names them; any other host it names is left alone."""
    named = {}
    for name, contract in contracts.items():
        host = contract["registryHost"]
        if (hosts.get(name) == host and contract["cloud"] == OFFLINE_CLOUD
                and contract["imageRef"] == image_ref(host)):
            named[name] = host
        else:
            progress.step("offline", name, f"{CONTRACTS_FILE} names {host}, which is not one "
                          "of the lab's fronts: left alone")
    return named


def _report(workdir: Path, result: Teardown, progress: Progress) -> None:
    if result.without_state:
        progress.step("offline", "lab", f"no lab state in {workdir}; its servers were found "
                      "by the config files their command lines name")
    for server in result.stopped:
        progress.step("offline", server["registry"],
                      f"stopped {server['part']} ({server['program']}, pid {server['pid']})")
    progress.step("offline", "lab", _what_became_of(workdir, result))


def _what_became_of(workdir: Path, result: Teardown) -> str:
    if result.workdir == UNTOUCHED:
        return f"{workdir} is gone; nothing to remove" if result.stopped else "was not running"

    if result.workdir == REMOVED:
        fate = f"removed {workdir}"
    elif result.workdir == EMPTIED:
        fate = f"emptied {workdir}; the directory itself stays"
    else:
        names = ", ".join(result.foreign[:FOREIGN_SHOWN])
        more = f" and {len(result.foreign) - FOREIGN_SHOWN} more" if (
            len(result.foreign) > FOREIGN_SHOWN) else ""
        fate = (f"removed the lab's files but kept {workdir}: it holds {names}{more}, which "
                "the lab did not make")
    return fate if result.stopped else f"no server was running; {fate}"


def _not_whole(workdir: Path) -> str:
    stopped = survey.stopped_parts(workdir)
    what = (f"{', '.join(stopped)} {'is' if len(stopped) == 1 else 'are'} not running"
            if stopped else "its start did not finish")
    return f"the offline lab in {workdir} is not whole: {what}; {_afresh(workdir)}"


def _afresh(workdir: Path) -> str:
    return (f"start it afresh with '{survey.command_for('down', workdir)}' then "
            f"'{survey.command_for('up', workdir)}'")


def _point_at_other_labs(workdir: Path, progress: Progress) -> None:
    """A down that found nothing names the labs it did not touch, so none is forgotten."""
    for other, running in survey.other_labs(workdir, survey.LABS_ROOT):
        command = survey.command_for("down", other)
        if running is None:
            progress.step("offline", "lab", f"another lab has its state in {other}, but that "
                          f"state is unreadable; '{command}' says why")
            continue
        servers = "server" if running == 1 else "servers"
        progress.step("offline", "lab", f"another lab has its state in {other} ({running} "
                      f"{servers} running); stop it with '{command}'")


def _all_running(workdir: Path) -> bool:
    parts = [part for registry in status(workdir).values() for part in registry.values()]
    return bool(parts) and all(part["running"] for part in parts)
