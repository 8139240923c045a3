"""AWS: an ECR repository, its lifecycle rules and its pull-only identity."""

from registry_lab.aws.registry import AwsRegistry
from registry_lab.aws.settings import KEYS, PLAIN_KEYS, AwsSettings, read_settings
from registry_lab.exports import LoginContract


def build(settings: AwsSettings) -> LoginContract:
    """Register the AWS registry component and return its login contract."""
    return AwsRegistry("lab", settings).contract


__all__ = ["KEYS", "PLAIN_KEYS", "AwsSettings", "AwsRegistry", "build", "read_settings"]
