"""Errors a user can act on: each names the key or argument, the value and the rule."""

import pulumi


class ConfigError(pulumi.RunError):
    """A stack setting breaks a rule.

    Raised while the configuration is read, before any resource is registered. It derives from
    ``pulumi.RunError`` so that ``pulumi up`` prints the one-line message without a traceback.
    """

    def __init__(self, key: str, value: object, rule: str):
        self.key = key
        self.value = value
        self.rule = rule
        super().__init__(
            f"{key}={value!r}: {rule} (fix with: pulumi config set {key} <value>)"
        )
