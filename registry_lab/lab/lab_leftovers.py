"""What the lab's steps leave in the container CLI for the offline lab's registries.

``login`` stores the pusher's password in the CLI's auth file (Docker's ~/.docker/config.json)
and ``push`` leaves a local tag per registry (127.0.0.1:PORT/registry-lab/demo:v1). Once the
registries are stopped both are litter, and the stored password is a credential left behind,
so ``offline down`` removes them: for the lab's own registry hosts and image references only.
"""

from typing import Iterable, Mapping

from registry_lab.lab import failures
from registry_lab.lab.container_cli import OFFLINE_CLOUD, ContainerCli
from registry_lab.lab.progress import Progress


def forget(contracts: Mapping[str, Mapping], clis: Iterable[ContainerCli],
           progress: Progress) -> None:
    """Log each CLI out of the lab's registries and remove their local tags, as far as it can.

    Logging out where no login is stored, or removing a tag that does not exist, fails
    harmlessly and is not reported; a CLI that is not installed is passed over.
    """
    lab_registries = {name: contract for name, contract in contracts.items()
                      if contract.get("cloud") == OFFLINE_CLOUD}
    for cli in clis:
        try:
            for name, contract in lab_registries.items():
                _forget_registry(cli, name, contract, progress)
        except failures.CliMissing:
            continue


def _forget_registry(cli: ContainerCli, name: str, contract: Mapping,
                     progress: Progress) -> None:
    host, reference = contract["registryHost"], contract["imageRef"]
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
