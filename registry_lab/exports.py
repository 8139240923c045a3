"""Export a stack's login contract: the same keys on every cloud, credentials as secrets.

``registry_lab.contract`` names the keys (the lab reads them without Pulumi); here each key is
a field of ``LoginContract``, in the same order, the field being the key in snake_case
(tests/unit/test_contract_exports.py holds the two together).
"""

import re
from dataclasses import dataclass, field, fields
from typing import Any, Mapping, Optional

import pulumi

from registry_lab.contract import SECRET_KEYS


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
        values = {}
        for contract_field in fields(self):
            key = contract_key(contract_field.name)
            value = getattr(self, contract_field.name)
            # Secret even when null, so the key's secrecy never depends on the settings.
            values[key] = pulumi.Output.secret(value) if key in SECRET_KEYS else value
        return values


def contract_key(field_name: str) -> str:
    """The exported key of a ``LoginContract`` field: ``registry_host`` is ``registryHost``."""
    return re.sub(r"_([a-z])", lambda letter: letter.group(1).upper(), field_name)


def export_contract(contract: LoginContract) -> None:
    """Export every key of ``contract`` as a stack output, credentials as secrets.

    Args:
        contract: the login contract the stack's component built.
    """
    for key, value in contract.as_exports().items():
        pulumi.export(key, value)

