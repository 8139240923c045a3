"""The login contract of each local registry, the same keys a cloud stack exports."""

import json
from pathlib import Path

from registry_lab.contract import DEMO_IMAGE, DEMO_TAG
from registry_lab.lab.offline.certificates import LabTls
from registry_lab.lab.offline.files import write_private_json
from registry_lab.lab.offline.passwords import Account
from registry_lab.lab.offline.paths import CONTRACTS_FILE
from registry_lab.lab.offline.ports import LOOPBACK

REPOSITORY = f"registry-lab/{DEMO_IMAGE}"


def contract_for(front_port: int, tls: LabTls, pusher: Account, puller: Account) -> dict:
    host = f"{LOOPBACK}:{front_port}"
    repository_url = f"{host}/{REPOSITORY}"
    return {
        "cloud": "local",
        "registryHost": host,
        "repositoryUrl": repository_url,
        "imageRef": f"{repository_url}:{DEMO_TAG}",
        "loginCommand": (f"podman login --cert-dir {tls.cert_dir} --username "
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


def read_contracts(workdir: Path) -> dict:
    return json.loads(contracts_path(workdir).read_text())
