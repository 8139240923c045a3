"""Registry logins, produced by one adapter per login method of the contract.

An adapter turns a contract's identity (and its credentials, for methods that have them) into a
``RegistryLogin``: the host, a username and a password that only ever travels on stdin.
"""

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Mapping, Optional

PUSH = "push"
PULL_ONLY = "pull-only"
ROLES = (PUSH, PULL_ONLY)

# The login method of an identity that does not exist: only Docker Hub's contract names it, for
# its pull-only identity, which the lab does not create there; any other cloud creates one.
NO_IDENTITY = "none"


class LoginError(Exception):
    """A login could not be made; the message is one line naming the registry and why."""


@dataclass(frozen=True)
class RegistryLogin:
    host: str
    username: str
    password: str = field(repr=False)
    # When the password stops working; None for credentials that do not expire on their own.
    expires_at: Optional[datetime] = None


def identity_of(contract: Mapping[str, Any], role: str):
    """The identity and credentials a contract names for ``role`` (push or pull-only)."""
    if role == PUSH:
        return contract["pushIdentity"], contract.get("pushCredentials")
    if role == PULL_ONLY:
        return contract["pullOnlyIdentity"], contract.get("pullOnlyCredentials")
    raise ValueError(f"role must be one of {', '.join(ROLES)}, not {role!r}")
