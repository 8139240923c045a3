"""DigitalOcean: a Container Registry (created or adopted) with push and pull-only credentials."""

from registry_lab.digitalocean.registry import DigitalOceanRegistry
from registry_lab.digitalocean.settings import (
    KEYS, PLAIN_KEYS, DigitalOceanSettings, read_settings,
)
from registry_lab.exports import LoginContract


def build(settings: DigitalOceanSettings) -> LoginContract:
    """Register the DigitalOcean registry component and return its login contract."""
    return DigitalOceanRegistry("lab", settings).contract


__all__ = [
    "KEYS", "PLAIN_KEYS", "DigitalOceanRegistry", "DigitalOceanSettings", "build",
    "read_settings",
]
