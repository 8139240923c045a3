"""Export a stack's login contract: the same keys on every cloud, credentials as secrets."""

from dataclasses import dataclass, field
from typing import Any, Mapping, Optional

import pulumi



@dataclass
class LoginContract:
    """One registry's login contract, as a component builds it (values may be Outputs)."""

    cloud: str
    registry_host: pulumi.Input[str]
    repository_url: pulumi.Input[str]
    image_ref: pulumi.Input[str]
    login_command: pulumi.Input[str]
    details: Mapping[str, Any]
    push_identity: Mapping[str, Any]
    pull_only_identity: Mapping[str, Any]
    push_credentials: Optional[Mapping[str, Any]] = field(default=None)
    pull_only_credentials: Optional[Mapping[str, Any]] = field(default=None)

    def as_exports(self) -> dict:
        """The contract keyed as exported; credentials always wrapped as secrets."""
        values = {
            "cloud": self.cloud,
            "registryHost": self.registry_host,
            "repositoryUrl": self.repository_url,
            "imageRef": self.image_ref,
            "loginCommand": self.login_command,
            "details": self.details,
            "pushIdentity": self.push_identity,
            "pullOnlyIdentity": self.pull_only_identity,
            # Secret even when null, so the key's secrecy never depends on the settings.
            "pushCredentials": pulumi.Output.secret(self.push_credentials),
            "pullOnlyCredentials": pulumi.Output.secret(self.pull_only_credentials),
        }
        return values


def export_contract(contract: LoginContract) -> None:
    for key, value in contract.as_exports().items():
        pulumi.export(key, value)
