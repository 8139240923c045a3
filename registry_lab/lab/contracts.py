"""Load the login contracts the lab works from: Pulumi stacks' outputs or a JSON file.

``pulumi stack output --json --show-secrets --stack NAME`` prints one contract per stack; a
contracts file holds one contract, or a mapping of names to contracts (what the offline lab
writes). Docker Hub, which no stack creates, joins last as "dockerhub" when its DOCKERHUB_*
variables are set (registry_lab.lab.dockerhub). Every contract is checked against
``registry_lab.contract`` before any registry is touched, and each problem is one
``ContractFailure`` naming the stack or file and the key.
"""

import json
import os
import subprocess
from pathlib import Path
from typing import Any, Callable, Dict, Iterable, Mapping

from registry_lab.contract import CLOUDS, CONTRACT_KEYS, LOGIN_METHODS, SECRET_KEYS
from registry_lab.lab.contract_trust import check_trust_files
from registry_lab.lab.dockerhub import DockerHubSettingsError, dockerhub_contract
from registry_lab.lab.failures import ContractFailure

DOCKER_HUB = "dockerhub"

# Where Pulumi.yaml lives: a stack name is looked up in the project of the working directory,
# and scripts/lab runs from wherever its caller is.
PROJECT_DIR = Path(__file__).resolve().parents[2]

TEXT_KEYS = ("registryHost", "repositoryUrl", "imageRef")
IDENTITY_KEYS = ("pushIdentity", "pullOnlyIdentity")


def load(stacks: Iterable[str] = (), files: Iterable[Path] = (),
         environ: Mapping[str, str] = os.environ,
         run: Callable = subprocess.run) -> Dict[str, dict]:
    """Contracts by registry name, in the order given: stacks, files, then Docker Hub."""
    contracts: Dict[str, dict] = {}
    for stack in stacks:
        _add(contracts, stack, from_stack(stack, run), f"stack {stack!r}")
    for path in files:
        for name, contract in from_file(Path(path)).items():
            _add(contracts, name, contract, f"contracts file {str(path)!r}")

    # Last, so that a compare reads each manifest from a registry that does not meter pulls.
    try:
        docker_hub = dockerhub_contract(environ)
    except DockerHubSettingsError as error:
        raise ContractFailure(f"Docker Hub: {error}") from None
    if docker_hub is not None:
        _add(contracts, DOCKER_HUB, validate(docker_hub, "Docker Hub"), "Docker Hub")

    if not contracts:
        raise ContractFailure("no registry named: pass --stack NAME or --contracts FILE")
    return contracts


def from_stack(stack: str, run: Callable = subprocess.run) -> dict:
    """One stack's contract, read with the Pulumi CLI (which prints the secrets on stdout)."""
    command = ["pulumi", "stack", "output", "--json", "--show-secrets", "--stack", stack]
    try:
        result = run(command, capture_output=True, text=True, check=False, cwd=PROJECT_DIR)
    except FileNotFoundError:
        raise ContractFailure(
            f"stack {stack!r}: the pulumi CLI is not on PATH; install it, or pass "
            "--contracts FILE") from None

    if result.returncode != 0:
        reason = _first_line(result.stderr) or f"exit code {result.returncode}"
        raise ContractFailure(f"stack {stack!r}: pulumi stack output failed: {reason}")

    try:
        outputs = json.loads(result.stdout)
    except ValueError:
        raise ContractFailure(f"stack {stack!r}: pulumi stack output did not print JSON") from None
    return validate(outputs, f"stack {stack!r}")


def from_file(path: Path) -> Dict[str, dict]:
    """The contracts in a JSON file: one contract (named after the file) or name -> contract."""
    source = f"contracts file {str(path)!r}"
    try:
        document = json.loads(path.read_text())
    except FileNotFoundError:
        raise ContractFailure(f"{source} does not exist") from None
    except ValueError as error:
        raise ContractFailure(f"{source} is not JSON: {error}") from None

    if not isinstance(document, dict) or not document:
        raise ContractFailure(f"{source} must hold a contract or a mapping of names to contracts")
    if "cloud" in document:
        return {path.stem: validate(document, source)}
    return {name: validate(contract, f"{source}, entry {name!r}")
            for name, contract in document.items()}


def validate(contract: Any, source: str) -> dict:
    """The contract as a dict with every key, or a ContractFailure naming what breaks a rule."""
    if not isinstance(contract, dict):
        raise ContractFailure(f"{source}: a contract must be a JSON object")

    for key in CONTRACT_KEYS:
        # Secret keys may be null or even absent: clouds without static credentials omit them.
        if key not in contract and key not in SECRET_KEYS:
            raise ContractFailure(f"{source}: key {key!r} is missing "
                                  f"(a contract has: {', '.join(CONTRACT_KEYS)})")

    cloud = contract["cloud"]
    if cloud not in CLOUDS:
        raise ContractFailure(f"{source}: cloud {cloud!r} is unknown; known clouds: "
                              f"{', '.join(CLOUDS)}")
    for key in TEXT_KEYS:
        if not isinstance(contract[key], str) or not contract[key]:
            raise ContractFailure(f"{source}: key {key!r} must be a non-empty string")
    if not contract["imageRef"].startswith(contract["repositoryUrl"] + ":"):
        raise ContractFailure(f"{source}: imageRef {contract['imageRef']!r} must be "
                              f"repositoryUrl {contract['repositoryUrl']!r} plus a tag")
    if not isinstance(contract["details"], dict):
        raise ContractFailure(f"{source}: key 'details' must be an object")
    check_trust_files(contract["details"], source)
    api_host = contract["details"].get("apiHost")
    if api_host is not None and (not isinstance(api_host, str) or not api_host):
        raise ContractFailure(f"{source}: details.apiHost must be a non-empty host name")

    for key in IDENTITY_KEYS:
        _check_identity(contract[key], f"{source}: {key}")
    for key in SECRET_KEYS:
        # Never quote a credential's value, even a malformed one.
        if contract.get(key) is not None and not isinstance(contract[key], dict):
            raise ContractFailure(f"{source}: key {key!r} must be an object or null")

    return {key: contract.get(key) for key in CONTRACT_KEYS}


def _check_identity(identity: Any, source: str) -> None:
    if not isinstance(identity, Mapping):
        raise ContractFailure(f"{source} must be an object with a login method")
    method = identity.get("method")
    if method not in LOGIN_METHODS:
        raise ContractFailure(f"{source}: login method {method!r} is unknown; known methods: "
                              f"{', '.join(LOGIN_METHODS)}")


def _add(contracts: Dict[str, dict], name: str, contract: dict, source: str) -> None:
    if name in contracts:
        raise ContractFailure(f"{source}: registry name {name!r} is named twice")
    contracts[name] = contract


def _first_line(text: str) -> str:
    lines = [line.strip() for line in (text or "").splitlines() if line.strip()]
    return lines[0] if lines else ""
