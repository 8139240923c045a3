"""The stack's configuration as the Pulumi engine handed it to this program."""

from dataclasses import dataclass
from typing import Dict, FrozenSet, Optional

import pulumi
from pulumi.runtime import config as runtime_config

# What an error shows in place of a secret's value.
SECRET_SHOWN_AS = "[secret]"


def lookup(full_key: str) -> Optional[str]:
    """One setting by its full key, such as ``registry-lab:repositoryName``."""
    namespace, _, name = full_key.partition(":")
    return pulumi.Config(namespace).get(name)


@dataclass(frozen=True)
class StackConfig:
    """Every key the stack passed, with its raw value, and which of them are secrets."""

    values: Dict[str, str]
    secret_keys: FrozenSet[str] = frozenset()

    def shown(self, key: str) -> str:
        """The value an error message may repeat: never a secret's."""
        return SECRET_SHOWN_AS if key in self.secret_keys else self.values[key]


def engine_config() -> StackConfig:
    """Every key the engine passed to this run, including the defaults Pulumi.yaml declares.

    ``pulumi.Config`` answers only for a key one names, and the SDK has no public call that
    lists keys, so this reads the two places ``pulumi.runtime.config.get_config`` itself looks
    in. Under ``pulumi up`` the Python language host passes the stack's config as JSON in the
    PULUMI_CONFIG variable (``get_config_env()``; its entry script may also copy it into
    ``runtime.config.CONFIG``, as the SDK's policy host does); the Automation API's inline
    programs and the test mocks call ``set_all_config``, which fills ``CONFIG`` alone. The
    union of the two is every key either way. A PULUMI_CONFIG_<KEY> variable only overrides a
    key under a scrubbed name that cannot be turned back into the key, so it adds none.
    """
    keys = set(runtime_config.CONFIG.get()) | set(runtime_config.get_config_env())
    values = {key: runtime_config.get_config(key) for key in sorted(keys)}
    secret_keys = {
        key for key in keys
        if runtime_config.is_config_secret(key)
        or key in runtime_config.get_config_secret_keys_env()
    }
    return StackConfig(values, frozenset(secret_keys))
