"""Typed, validated reads of stack configuration.

The reader is pure: it is handed a lookup from a full key (``registry-lab:repositoryName``) to
the raw string the Pulumi CLI passes, so the same validation runs under ``pulumi up``, under
mocks and in plain unit tests. Every failure is a ``ConfigError`` naming key, value and rule.
"""

import json
import re
from typing import Callable, Optional, Sequence

from registry_lab.errors import ConfigError

PROJECT = "registry-lab"

Lookup = Callable[[str], Optional[str]]

_TRUE = {"true", "yes", "1"}
_FALSE = {"false", "no", "0"}


class ConfigReader:
    """Reads settings of one stack, each by its full key, through a lookup function."""

    def __init__(self, lookup: Lookup):
        self._lookup = lookup

    def raw(self, key: str) -> Optional[str]:
        """The raw string for ``key``, or None when the stack does not set it."""
        value = self._lookup(_full(key))
        if value is None or value == "":
            return None
        return value

    def text(self, key: str, default: Optional[str] = None) -> Optional[str]:
        value = self.raw(key)
        return default if value is None else value.strip()

    def required_text(self, key: str, rule: str) -> str:
        value = self.text(key)
        if value is None:
            raise ConfigError(_full(key), None, rule)
        return value

    def matching(self, key: str, pattern: str, rule: str, default: Optional[str] = None):
        """A text setting that must match ``pattern`` whole; ``rule`` says it in words."""
        value = self.text(key, default)
        if value is None:
            raise ConfigError(_full(key), None, rule)
        if not re.fullmatch(pattern, value):
            raise ConfigError(_full(key), value, rule)
        return value

    def choice(self, key: str, choices: Sequence[str], default: Optional[str] = None) -> str:
        value = self.text(key, default)
        if value not in choices:
            raise ConfigError(_full(key), value, "must be one of " + ", ".join(choices))
        return value

    def boolean(self, key: str, default: bool) -> bool:
        value = self.raw(key)
        if value is None:
            return default
        lowered = value.strip().lower()
        if lowered in _TRUE:
            return True
        if lowered in _FALSE:
            return False
        raise ConfigError(_full(key), value, "must be true or false")

    def integer(self, key: str, default: int, minimum: int = 1, maximum: Optional[int] = None):
        """A whole number within [minimum, maximum]; lifecycle counts and days use minimum 1."""
        value = self.raw(key)
        if value is None:
            return default
        try:
            number = int(value.strip())
        except ValueError:
            raise ConfigError(_full(key), value, "must be a whole number") from None
        if number < minimum or (maximum is not None and number > maximum):
            upper = "" if maximum is None else f" and at most {maximum}"
            raise ConfigError(_full(key), number, f"must be at least {minimum}{upper}")
        return number

    def text_list(self, key: str, default: Sequence[str] = ()) -> list:
        """A list of strings; the CLI passes YAML lists as JSON text."""
        value = self.raw(key)
        if value is None:
            return list(default)
        try:
            items = json.loads(value)
        except json.JSONDecodeError:
            items = [part.strip() for part in value.split(",") if part.strip()]
        if not isinstance(items, list) or not all(isinstance(item, str) for item in items):
            # A list is set one item at a time; a plain `config set` would store one string.
            fix = f"pulumi config set --path '{_full(key)}[0]' <value>, then [1] ..."
            raise ConfigError(_full(key), value, "must be a list of strings", fix)
        return items


def _full(key: str) -> str:
    """Qualify a bare key with the project namespace; provider keys (``aws:region``) pass."""
    return key if ":" in key else f"{PROJECT}:{key}"
