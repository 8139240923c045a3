"""Load the login contracts the lab works from: Pulumi stacks' outputs or a JSON file.

``pulumi stack output --json --show-secrets --stack NAME`` prints one contract per stack; a
contracts file holds one contract, or a mapping of names to contracts (what the offline lab
writes). Docker Hub, which no stack creates, joins last as "dockerhub" when its DOCKERHUB_*
variables are set (registry_lab.lab.dockerhub). Every contract is checked against
``registry_lab.contract`` before any registry is touched, and each problem is one
``ContractFailure`` naming the stack or file and the key.
"""

import ipaddress
import json
import os
import re
import subprocess
from pathlib import Path
from typing import Any, Callable, Dict, Iterable, Mapping

from registry_lab.contract import CLOUDS, CONTRACT_KEYS, LOGIN_METHODS, SECRET_KEYS
from registry_lab.lab.contract_trust import check_trust_files
from registry_lab.lab.dockerhub import DockerHubSettingsError, dockerhub_contract
from registry_lab.lab.failures import ContractFailure
from registry_lab.lab.login import NO_IDENTITY
from registry_lab.lab.text import first_line

DOCKER_HUB = "dockerhub"

# A contracts file holds a few contracts of a few kilobytes each.
MAX_FILE_BYTES = 1024 * 1024

# Where Pulumi.yaml lives: a stack name is looked up in the project of the working directory,
# and scripts/lab runs from wherever its caller is.
PROJECT_DIR = Path(__file__).resolve().parents[2]

TEXT_KEYS = ("registryHost", "repositoryUrl", "imageRef")
IDENTITY_KEYS = ("pushIdentity", "pullOnlyIdentity")
CREDENTIALS_OF = {"pushIdentity": "pushCredentials", "pullOnlyIdentity": "pullOnlyCredentials"}

# The login servers each cloud can have. Credentials go to registryHost, so a contract that
# names another host for its cloud (a typo, or an edited file) is refused before any login.
CLOUD_HOSTS = {
    "aws": (r"[0-9]{12}\.dkr\.ecr(-fips)?\.[a-z0-9-]+\.amazonaws\.com(\.cn)?",
            "ACCOUNT.dkr.ecr.REGION.amazonaws.com"),
    "gcp": (r"[a-z0-9-]+-docker\.pkg\.dev", "LOCATION-docker.pkg.dev"),
    "digitalocean": (r"registry\.digitalocean\.com", "registry.digitalocean.com"),
    "dockerhub": (r"docker\.io", "docker.io"),
}

# The login methods that read static credentials, and the text fields each needs.
CREDENTIAL_FIELDS = {
    "basic": ("username", "password"),
    "docker-config": ("dockerConfigJson",),
    "gcp-key": ("keyJsonBase64",),
    "ecr-access-key": ("accessKeyId", "secretAccessKey"),
}

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
        reason = first_line(result.stderr) or f"exit code {result.returncode}"
        raise ContractFailure(f"stack {stack!r}: pulumi stack output failed: {reason}")

    try:
        outputs = json.loads(result.stdout)
    except (ValueError, RecursionError):
        raise ContractFailure(f"stack {stack!r}: pulumi stack output did not print JSON") from None
    return validate(outputs, f"stack {stack!r}")


def _read_capped(path: Path, source: str) -> bytes:
    """The file's bytes; a folder, an unreadable file or one over MAX_FILE_BYTES is refused."""
    if path.is_dir():
        raise ContractFailure(f"{source} is a folder, not a JSON file")
    try:
        with path.open("rb") as stream:
            # Read one byte past the cap, so that /dev/zero or a huge file is never read whole.
            data = stream.read(MAX_FILE_BYTES + 1)
    except FileNotFoundError:
        raise ContractFailure(f"{source} does not exist") from None
    except OSError as error:
        raise ContractFailure(f"{source} cannot be read: {error.strerror or error}") from None
    if len(data) > MAX_FILE_BYTES:
        raise ContractFailure(f"{source} is over {MAX_FILE_BYTES} bytes; a contracts file is "
                              "a few kilobytes")
    return data


def _parse(data: bytes, source: str) -> Any:
    try:
        return json.loads(data.decode("utf-8"), parse_constant=_refuse_constant)
    except RecursionError:
        raise ContractFailure(f"{source} is not JSON the lab reads: it nests too deeply") from None
    except ValueError as error:
        raise ContractFailure(f"{source} is not JSON: {error}") from None


def _refuse_constant(name: str):
    # Python's json reads NaN and Infinity, which JSON itself does not have.
    raise ValueError(f"{name} is not a JSON value")


def from_file(path: Path) -> Dict[str, dict]:
    """The contracts in a JSON file: one contract (named after the file) or name -> contract."""
    source = f"contracts file {str(path)!r}"
    document = _parse(_read_capped(path, source), source)

    if not isinstance(document, dict) or not document:
        raise ContractFailure(f"{source} must hold a contract or a mapping of names to contracts")
    if "cloud" in document:
        return {path.stem: validate(document, source)}
    return {name: validate(contract, f"{source}, entry {name!r}")
            for name, contract in document.items()}


def validate(contract: Any, source: str) -> dict:
    """The contract as a dict with every key, or a ContractFailure naming what breaks a rule.

    The rules are checked in this order, and the first one broken is the one reported.
    """
    _check_keys(contract, source)
    _check_names(contract, source)
    _check_host(contract, source)
    _check_details(contract, source)
    _check_identities(contract, source)
    return {key: contract.get(key) for key in CONTRACT_KEYS}


def _check_keys(contract: Any, source: str) -> None:
    """An object holding every contract key, with a cloud the lab knows."""
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


def _check_names(contract: Mapping[str, Any], source: str) -> None:
    """Host, repository and reference are one printable word each; the reference is tagged."""
    for key in TEXT_KEYS:
        if not isinstance(contract[key], str) or not contract[key]:
            raise ContractFailure(f"{source}: key {key!r} must be a non-empty string")
        if not contract[key].isprintable() or any(char.isspace() for char in contract[key]):
            raise ContractFailure(f"{source}: key {key!r} is {contract[key]!r}: it must hold "
                                  "no spaces or control characters")
    if not contract["imageRef"].startswith(contract["repositoryUrl"] + ":"):
        raise ContractFailure(f"{source}: imageRef {contract['imageRef']!r} must be "
                              f"repositoryUrl {contract['repositoryUrl']!r} plus a tag")


def _check_details(contract: Mapping[str, Any], source: str) -> None:
    """An object whose trust files exist and whose optional facts have the right shape."""
    details = contract["details"]
    if not isinstance(details, dict):
        raise ContractFailure(f"{source}: key 'details' must be an object")
    check_trust_files(details, source)
    api_host = details.get("apiHost")
    if api_host is not None and (not isinstance(api_host, str) or not api_host):
        raise ContractFailure(f"{source}: details.apiHost must be a non-empty host name")
    reason = details.get("pullOnlySkipReason")
    if reason is not None and (not isinstance(reason, str) or not reason.isprintable()):
        # It is printed as the skipped check's progress line.
        raise ContractFailure(f"{source}: details.pullOnlySkipReason must be one printable line")


def _check_identities(contract: Mapping[str, Any], source: str) -> None:
    """Known login methods, a push identity, and the credentials each method reads."""
    for key in IDENTITY_KEYS:
        _check_identity(contract[key], f"{source}: {key}")
    for key in SECRET_KEYS:
        # Never quote a credential's value, even a malformed one.
        if contract.get(key) is not None and not isinstance(contract[key], dict):
            raise ContractFailure(f"{source}: key {key!r} must be an object or null")
    _check_no_identity(contract, source)
    for key in IDENTITY_KEYS:
        _check_credentials(contract[key]["method"], contract.get(CREDENTIALS_OF[key]),
                           f"{source}: {CREDENTIALS_OF[key]}", key)


def _check_host(contract: Mapping[str, Any], source: str) -> None:
    """The login server is the host of the repository: credentials go where the image lives.

    Docker Hub's login server, docker.io, is also the name in its references; the API host it
    answers at (details.apiHost) is a fact for the compare, not a login server.
    """
    host, _, path = contract["repositoryUrl"].partition("/")
    if host.lower() != contract["registryHost"].lower() or not path:
        raise ContractFailure(
            f"{source}: registryHost {contract['registryHost']!r} is not the host of "
            f"repositoryUrl {contract['repositoryUrl']!r} and imageRef "
            f"{contract['imageRef']!r}: they must name the same registry, as HOST/REPOSITORY")
    _check_cloud_host(contract["cloud"], contract["registryHost"], source)


def _check_cloud_host(cloud: str, host: str, source: str) -> None:
    """The login server fits the cloud; the offline lab's registries never leave loopback."""
    if cloud == "local":
        if not _is_loopback(host):
            raise ContractFailure(
                f"{source}: registryHost {host!r} is not on loopback: the offline lab's "
                "registries listen on 127.0.0.1:PORT only")
        return

    pattern, shape = CLOUD_HOSTS[cloud]
    if not re.fullmatch(pattern, host.lower(), re.ASCII):
        raise ContractFailure(
            f"{source}: registryHost {host!r} is not a login server of {cloud} ({shape})")


def _is_loopback(host: str) -> bool:
    """Whether HOST:PORT (or [V6]:PORT) names a loopback address with a port."""
    address, _, port = host.rpartition(":")
    if not port.isascii() or not port.isdigit():
        return False
    try:
        return ipaddress.ip_address(address.strip("[]")).is_loopback
    except ValueError:
        return False


def _check_identity(identity: Any, source: str) -> None:
    if not isinstance(identity, Mapping):
        raise ContractFailure(f"{source} must be an object with a login method")
    method = identity.get("method")
    if method not in LOGIN_METHODS:
        raise ContractFailure(f"{source}: login method {method!r} is unknown; known methods: "
                              f"{', '.join(LOGIN_METHODS)}")


def _check_no_identity(contract: Mapping[str, Any], source: str) -> None:
    if contract["pushIdentity"]["method"] == NO_IDENTITY:
        raise ContractFailure(f"{source}: pushIdentity: login method {NO_IDENTITY!r} is not "
                              "allowed: every registry needs a push identity")
    if contract["pullOnlyIdentity"]["method"] == NO_IDENTITY and contract["cloud"] != DOCKER_HUB:
        raise ContractFailure(
            f"{source}: pullOnlyIdentity: login method {NO_IDENTITY!r} is allowed only for "
            f"cloud {DOCKER_HUB!r}; a {contract['cloud']!r} registry has a pull-only identity "
            "to check")


def _check_credentials(method: str, credentials: Any, source: str, identity_key: str) -> None:
    """The static credentials a login method reads are there, as text (never quoted)."""
    fields = CREDENTIAL_FIELDS.get(method)
    if fields is None:
        return
    if not isinstance(credentials, Mapping):
        raise ContractFailure(f"{source}: {identity_key} uses login method {method!r}, which "
                              f"needs credentials with {', '.join(fields)}; they are missing")
    for name in fields:
        if not isinstance(credentials.get(name), str) or not credentials[name]:
            raise ContractFailure(f"{source}: field {name!r} must be a non-empty string "
                                  f"(login method {method!r} of {identity_key} needs it)")


def _add(contracts: Dict[str, dict], name: str, contract: dict, source: str) -> None:
    # The name starts every progress line and table row: it must print as what it is.
    if not name or not name.isprintable() or name != name.strip():
        raise ContractFailure(f"{source}: registry name {name!r} must be printable characters, "
                              "with no control characters or surrounding spaces")
    if name in contracts:
        raise ContractFailure(f"{source}: registry name {name!r} is named twice")
    contracts[name] = contract
