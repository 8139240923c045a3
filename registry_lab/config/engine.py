"""The stack's configuration as the Pulumi engine handed it to this program."""

from dataclasses import dataclass
from typing import Dict, Optional

import pulumi
from pulumi.runtime import config as runtime_config


def lookup(full_key: str) -> Optional[str]:
    """One setting by its full key, such as ``registry-lab:repositoryName``."""
    namespace, _, name = full_key.partition(":")
    return pulumi.Config(namespace).get(name)


@dataclass(frozen=True)
class StackConfig:
    """Every key the stack passed, with its raw value.

    A ``ConfigError`` about one of them asks the engine whether the key is secret and then
    never repeats its value (``registry_lab.errors.is_secret``).
    """

    values: Dict[str, str]


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
    return StackConfig({key: runtime_config.get_config(key) for key in sorted(keys)})
