"""Settings that must not be secrets, because the stack exports their values in plain.

``pulumi.Config.get`` hands a secret setting to the program as plain text, so a secret
repository name or region would reach repositoryUrl, imageRef and the other plain outputs
unmasked. Those values are part of a registry's public address; a stack holding one as a
secret is refused before anything is read, rather than half-hiding it.
"""

from typing import Mapping

import pulumi

from registry_lab.config.engine import StackConfig
from registry_lab.errors import ConfigError, is_secret

# Every cloud exports its cloud by name; each cloud's PLAIN_KEYS adds its own.
PLAIN_ON_EVERY_CLOUD = {"registry-lab:cloud": "the contract's cloud"}


def refuse_secret_plain_keys(config: StackConfig, plain_keys: Mapping[str, str]) -> None:
    """A key of ``plain_keys`` (full key -> what it is) that the stack holds as a secret."""
    for key, what in {**PLAIN_ON_EVERY_CLOUD, **plain_keys}.items():
        if key not in config.values or not is_secret(key):
            continue
        raise ConfigError(
            key, config.values[key], f"must not be a secret: it is {what}, exported in plain",
            f"pulumi config set {key} <value> --plaintext --stack {pulumi.get_stack()}",
        )
