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

    A rule that quotes a setting's value quotes it with ``quoted``, so that no secret's value
    reaches the message; control characters in key, value, rule and fix are escaped, so the
    message is always one line.
    """

    def __init__(self, key: str, value: object, rule: str, fix: Optional[str] = None):
        self.key = key
        self.value = value
        self.rule = rule
        self.fix = fix or set_command(key)
        stated = f"{key} is not set" if value is None else f"{key}={quoted(key, value)}"
        message = f"{stated}: {rule} (fix with: {self.fix})"
        super().__init__(one_line(message))


def is_secret(key: str) -> bool:
    """Whether the stack holds ``key`` as a secret, whose value no message may repeat."""
    secret_keys = runtime_config.get_config_secret_keys_env()
    return runtime_config.is_config_secret(key) or key in secret_keys


def quoted(key: str, value: object) -> str:
    """``value``, the value of ``key``, as a message may repeat it: never a secret's."""
    return SECRET_SHOWN_AS if is_secret(key) else echo(value)


def part_of(key: str, text: str) -> str:
    """A fragment of the value of ``key`` (a region, a partition), or [secret] if it is one."""
    return SECRET_SHOWN_AS if is_secret(key) else text


def set_command(key: str, path: Optional[str] = None) -> str:
    """The ``pulumi config set`` that fixes ``key``; ``path`` sets one item of it instead.

    A key the stack holds as a secret is set again with ``--secret``: without it the CLI
    would store the new value in plain text in the stack file.
    """
    target = key if path is None else f"--path '{path}'"
    secret = " --secret" if is_secret(key) else ""
    return f"pulumi config set {target} <value>{secret} --stack {pulumi.get_stack()}"


def one_line(text: str) -> str:
    """``text`` with every control character escaped (a newline as \\n), so it stays one line."""
    return "".join(
        character if character.isprintable() else character.encode("unicode_escape").decode()
        for character in text
    )


def echo(value: object) -> str:
    """``value`` as a message repeats it: its repr, cut short with its length when long."""
    text = repr(value)
    if len(text) <= ECHO_LIMIT:
        return text
    length = len(value) if isinstance(value, str) else len(text)
    return f"{text[:ECHO_LIMIT]}… ({length} characters)"
