"""GCP: an Artifact Registry Docker repository, a push and a pull-only service account."""

from registry_lab.exports import LoginContract
from registry_lab.gcp.registry import GcpRegistry
from registry_lab.gcp.settings import KEYS, PLAIN_KEYS, GcpSettings, read_settings


def build(settings: GcpSettings) -> LoginContract:
    """Register the GCP registry component and return its login contract."""
    return GcpRegistry("lab", settings).contract


__all__ = ["KEYS", "PLAIN_KEYS", "GcpSettings", "GcpRegistry", "build", "read_settings"]
