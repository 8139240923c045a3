"""Username and password as the contract holds them: the offline lab's registries."""

from typing import Any, Mapping, Optional

from registry_lab.lab.login import LoginError, RegistryLogin


def login(host: str, identity: Mapping[str, Any], credentials: Optional[Mapping[str, Any]]):
    if not credentials or not credentials.get("username") or not credentials.get("password"):
        raise LoginError(f"{host}: basic login needs credentials with a username and password")
    return RegistryLogin(host, credentials["username"], credentials["password"])
