"""The login contract of each local registry, the same keys a cloud stack exports."""

import shlex
from pathlib import Path

from registry_lab.contract import DEMO_IMAGE, DEMO_TAG
from registry_lab.lab.contracts import from_file
from registry_lab.lab.failures import ContractFailure
from registry_lab.lab.offline.certificates import LabTls
from registry_lab.lab.offline.errors import OfflineLabError
from registry_lab.lab.offline.files import write_private_json
from registry_lab.lab.offline.passwords import Account
from registry_lab.lab.offline.paths import CONTRACTS_FILE
from registry_lab.lab.offline.ports import LOOPBACK

REPOSITORY = f"registry-lab/{DEMO_IMAGE}"


def contract_for(front_port: int, tls: LabTls, pusher: Account, puller: Account) -> dict:
    host = f"{LOOPBACK}:{front_port}"
    repository_url = f"{host}/{REPOSITORY}"
    # A shell line: the workdir may hold spaces or quotes.
    cert_dir = shlex.quote(str(tls.cert_dir))
    return {
        "cloud": "local",
        "registryHost": host,
        "repositoryUrl": repository_url,
        "imageRef": image_ref(host),
        "loginCommand": (f"podman login --cert-dir {cert_dir} --username "
                         f"{pusher.username} --password-stdin {host}"),
        "details": {"caFile": str(tls.ca_file), "certDir": str(tls.cert_dir)},
        "pushIdentity": {"method": "basic", "username": pusher.username},
        "pullOnlyIdentity": {"method": "basic", "username": puller.username},
        "pushCredentials": pusher.as_credentials(),
        "pullOnlyCredentials": puller.as_credentials(),
    }


def contracts_path(workdir: Path) -> Path:
    return workdir / CONTRACTS_FILE


def write_contracts(workdir: Path, contracts: dict) -> Path:
    return write_private_json(contracts_path(workdir), contracts)


def image_ref(host: str) -> str:
    """The one reference the lab pushes to a registry of its own at ``host``."""
    return f"{host}/{REPOSITORY}:{DEMO_TAG}"


def read_contracts(workdir: Path) -> dict:
    """The contracts the lab wrote, checked whole; OfflineLabError if the file is damaged."""
    try:
        return from_file(contracts_path(workdir))
    except ContractFailure as failure:
        raise OfflineLabError(f"the offline lab's contracts are damaged: {failure}") from None
