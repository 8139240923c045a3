"""What the lab's steps leave in the container CLI for the offline lab's registries.

``login`` stores the pusher's password in the CLI's auth file (Docker's ~/.docker/config.json)
and ``push`` leaves a local tag per registry (127.0.0.1:PORT/registry-lab/demo:v1). Once the
registries are stopped both are litter, and the stored password is a credential left behind,
so ``offline down`` removes them: for the lab's own registry hosts and image references only.
"""

from typing import Iterable, Mapping

from registry_lab.lab import failures
from registry_lab.lab.container_cli import ContainerCli
from registry_lab.lab.offline.contracts import image_ref
from registry_lab.lab.progress import Progress


def forget(hosts: Mapping[str, str], clis: Iterable[ContainerCli], progress: Progress) -> None:
    """Log each CLI out of each registry host (by registry name) and remove the lab's tag
    there, as far as it can.

    The caller names only the lab's own hosts (127.0.0.1:PORT of its fronts). Logging out where
    no login is stored, or removing a tag that does not exist, fails harmlessly and is not
    reported; a CLI that is not installed is passed over.
    """
    for cli in clis:
        try:
            for name, host in hosts.items():
                _forget_registry(cli, name, host, progress)
        except failures.CliMissing:
            continue


def _forget_registry(cli: ContainerCli, name: str, host: str, progress: Progress) -> None:
    reference = image_ref(host)
    # Docker's logout succeeds whether or not a login was stored, so say what holds after it.
    if _done(lambda: cli.logout(host)):
        progress.step("offline", name, f"{cli.program} holds no login for {host}")
    if _done(lambda: cli.remove_tag(reference)):
        progress.step("offline", name, f"{cli.program} removed the local tag {reference}")


def _done(action) -> bool:
    try:
        action()
    except failures.CliMissing:
        raise
    except failures.LabFailure:
        return False
    return True
