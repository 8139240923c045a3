"""Log the container CLI in to a contract's registry as its push or pull-only identity."""

from typing import Any, Mapping, Optional

from registry_lab.lab import adapters, failures
from registry_lab.lab.container_cli import ContainerCli
from registry_lab.lab.login import LoginError, RegistryLogin


def cert_dir(contract: Mapping[str, Any]) -> Optional[str]:
    """The folder with the registry's CA, for registries whose TLS a lab CA signed."""
    return (contract.get("details") or {}).get("certDir")


def log_in(cli: ContainerCli, contract: Mapping[str, Any], role: str) -> RegistryLogin:
    """A fresh login through the contract's adapter, handed to the CLI on stdin."""
    try:
        login = adapters.login_for(contract, role)
    except LoginError as error:
        raise failures.Unauthorized(f"{role} login: {error}") from None

    cli.login(login, cert_dir(contract))
    return login
