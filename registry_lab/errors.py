"""Errors a user can act on: each names the key or argument, the value and the rule."""

from typing import Optional

import pulumi
from pulumi.runtime import config as runtime_config

# How much of a value a message repeats: a whole ARN (KMS key ARNs run to about 80
# characters, and their region is near the end), but never a wall of text.
ECHO_LIMIT = 100

# What a message shows in place of a secret setting's value.
SECRET_SHOWN_AS = "[secret]"


class ConfigError(pulumi.RunError):
    """A stack setting breaks a rule.

    Raised while the configuration is read, before any resource is registered. It derives from
    ``pulumi.RunError`` so that ``pulumi up`` prints the one-line message without a traceback.

    Args:
        key: the full key, such as ``registry-lab:repositoryName`` or ``aws:region``.
        value: the value as the stack gave it (None when the stack does not set the key);
            never repeated when the stack holds ``key`` as a secret.
        rule: what the value must be, in words.
        fix: the command that fixes it; by default ``pulumi config set`` for this stack.
    """

    def __init__(self, key: str, value: object, rule: str, fix: Optional[str] = None):
        self.key = key
        self.value = value
        self.rule = rule
        self.fix = fix or f"pulumi config set {key} <value> --stack {pulumi.get_stack()}"
        shown = SECRET_SHOWN_AS if is_secret(key) else echo(value)
        super().__init__(f"{key}={shown}: {rule} (fix with: {self.fix})")


def is_secret(key: str) -> bool:
    """Whether the stack holds ``key`` as a secret, whose value no message may repeat."""
    secret_keys = runtime_config.get_config_secret_keys_env()
    return runtime_config.is_config_secret(key) or key in secret_keys


def echo(value: object) -> str:
    """``value`` as a message repeats it: its repr, cut short with its length when long."""
    text = repr(value)
    if len(text) <= ECHO_LIMIT:
        return text
    length = len(value) if isinstance(value, str) else len(text)
    return f"{text[:ECHO_LIMIT]}… ({length} characters)"
