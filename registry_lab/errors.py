"""Errors a user can act on: each names the key or argument, the value and the rule."""

from typing import Optional

import pulumi

# How much of a value a message repeats: a whole ARN (KMS key ARNs run to about 80
# characters, and their region is near the end), but never a wall of text.
ECHO_LIMIT = 100


class ConfigError(pulumi.RunError):
    """A stack setting breaks a rule.

    Raised while the configuration is read, before any resource is registered. It derives from
    ``pulumi.RunError`` so that ``pulumi up`` prints the one-line message without a traceback.

    Args:
        key: the full key, such as ``registry-lab:repositoryName`` or ``aws:region``.
        value: the value as the stack gave it (None when the stack does not set the key).
        rule: what the value must be, in words.
        fix: the command that fixes it; by default ``pulumi config set`` for this stack.
    """

    def __init__(self, key: str, value: object, rule: str, fix: Optional[str] = None):
        self.key = key
        self.value = value
        self.rule = rule
        self.fix = fix or f"pulumi config set {key} <value> --stack {pulumi.get_stack()}"
        super().__init__(f"{key}={echo(value)}: {rule} (fix with: {self.fix})")


def echo(value: object) -> str:
    """``value`` as a message repeats it: its repr, cut short with its length when long."""
    text = repr(value)
    if len(text) <= ECHO_LIMIT:
        return text
    length = len(value) if isinstance(value, str) else len(text)
    return f"{text[:ECHO_LIMIT]}… ({length} characters)"
