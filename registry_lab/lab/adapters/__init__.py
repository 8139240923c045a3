"""Login adapters, one per login method named in the contract (see registry_lab.contract).

Each adapter is ``login(host, identity, credentials) -> RegistryLogin`` and raises LoginError.
"""

from typing import Any, Mapping

from registry_lab.lab.adapters import basic
from registry_lab.lab.adapters import ecr
from registry_lab.lab.adapters import gcp
from registry_lab.lab.adapters import digitalocean
from registry_lab.lab.login import LoginError, RegistryLogin, identity_of

ADAPTERS = {
    "basic": basic.login,
    "ecr-token": ecr.login,
    "ecr-assume-role": ecr.login,
    "ecr-access-key": ecr.login,
    "gcp-impersonate": gcp.login_with_impersonation,
    "gcp-key": gcp.login_with_key,
    "docker-config": digitalocean.login,
}


def login_for(contract: Mapping[str, Any], role: str) -> RegistryLogin:
    """Log in to the contract's registry as its push or pull-only identity."""
    identity, credentials = identity_of(contract, role)
    method = (identity or {}).get("method")
    adapter = ADAPTERS.get(method)
    if adapter is None:
        known = ", ".join(sorted(ADAPTERS))
        raise LoginError(f"{contract['registryHost']}: {role} login method {method!r} is not "
                         f"one of {known}")
    return adapter(contract["registryHost"], identity, credentials)
