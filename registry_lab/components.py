"""The type tokens of the project's components: one prefix, then the cloud and the type."""

# Pulumi type tokens read package:module:Type; this project is the package of every component.
TYPE_PREFIX = "registry-lab"


def registry_type(cloud: str) -> str:
    """The type token of ``cloud``'s registry component, such as ``registry-lab:aws:Registry``."""
    return f"{TYPE_PREFIX}:{cloud}:Registry"
