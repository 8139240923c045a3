"""Which component builds the registry of a stack's cloud.

Each cloud is a module with ``read_settings(reader)``, which validates that cloud's settings
without touching Pulumi's engine, and ``build(settings)``, which registers the component and
returns its ``LoginContract``; its ``KEYS`` are the ``registry-lab`` keys its settings read.
Its ``PLAIN_KEYS`` (full key -> what the value is) are the keys it exports in plain, which a
stack may not hold as secrets.
Settings are read whole before ``build`` runs, so bad input never
leaves a half-registered stack behind.
"""

import importlib
from types import ModuleType
from typing import Optional

from registry_lab.config.reader import ConfigReader
from registry_lab.errors import ConfigError

CLOUD_KEY = "cloud"

# The value of registry-lab:cloud and the module that builds that cloud's registry.
CLOUD_MODULES = {
    "aws": "registry_lab.aws",
    "gcp": "registry_lab.gcp",
    "digitalocean": "registry_lab.digitalocean",
}


def cloud_module(reader: ConfigReader) -> ModuleType:
    """The module for the stack's cloud, or a ConfigError naming registry-lab:cloud."""
    cloud = reader.text(CLOUD_KEY)
    if cloud not in CLOUD_MODULES:
        rule = "must be one of " + ", ".join(CLOUD_MODULES)
        raise ConfigError(f"registry-lab:{CLOUD_KEY}", cloud, rule)
    return importlib.import_module(CLOUD_MODULES[cloud])


def cloud_reading(key: str) -> Optional[str]:
    """The cloud whose settings read the project key ``key`` (a bare name), or None."""
    for cloud, module in CLOUD_MODULES.items():
        if key in importlib.import_module(module).KEYS:
            return cloud
    return None
