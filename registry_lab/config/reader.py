"""Typed, validated reads of stack configuration.

The reader is pure: it is handed a lookup from a full key (``registry-lab:repositoryName``) to
the raw string the Pulumi CLI passes, so the same validation runs under ``pulumi up``, under
mocks and in plain unit tests. Every failure is a ``ConfigError`` naming key, value and rule.

A value that is empty or only whitespace counts as unset for every read: ``pulumi config set
key ""`` and ``key: "  "`` in a stack file both mean "use the default". Every pattern is matched
in ASCII only, so that digits and letters of other scripts never pass for ``0-9`` or ``a-z``.
"""

import json
import re
from typing import Callable, Optional, Sequence

from registry_lab.errors import ConfigError, set_command

PROJECT = "registry-lab"

Lookup = Callable[[str], Optional[str]]

# The words a boolean setting may be written as, in any case.
TRUE_WORDS = frozenset({"true", "yes", "1"})
FALSE_WORDS = frozenset({"false", "no", "0"})

# A whole number as a stack writes it: no '+', no '_', no digits of other scripts.
_INTEGER = re.compile(r"-?[0-9]+", re.ASCII)
INTEGER_RULE = "must be a whole number written with the digits 0-9, such as 14"


class ConfigReader:
    """Reads settings of one stack, each by its full key, through a lookup function.

    ``keys_read`` records every full key asked for, so that a test can check a cloud's
    declared ``KEYS`` against what its ``read_settings`` really reads.
    """

    def __init__(self, lookup: Lookup):
        self._lookup = lookup
        self.keys_read = set()

    def raw(self, key: str) -> Optional[str]:
        """The stripped string for ``key``, or None when the stack leaves it unset or blank."""
        full = _full(key)
        self.keys_read.add(full)
        value = self._lookup(full)
        if value is None or not value.strip():
            return None
        return value.strip()

    def text(self, key: str, default: Optional[str] = None) -> Optional[str]:
        value = self.raw(key)
        return default if value is None else value

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
        if not full_match(pattern, value):
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
        lowered = value.lower()
        if lowered in TRUE_WORDS:
            return True
        if lowered in FALSE_WORDS:
            return False
        raise ConfigError(_full(key), value, "must be true or false")

    def integer(self, key: str, default: int, *, minimum: int, maximum: int) -> int:
        """A whole number within [minimum, maximum]; every number setting has both bounds."""
        value = self.raw(key)
        if value is None:
            return default
        if not _INTEGER.fullmatch(value):
            raise ConfigError(_full(key), value, INTEGER_RULE)

        # More digits than the widest bound is out of range; deciding that on the text keeps a
        # number of thousands of digits from reaching int(), which refuses those itself.
        widest = len(str(max(abs(minimum), abs(maximum))))
        too_wide = len(value.lstrip("-").lstrip("0")) > widest
        if too_wide or not minimum <= int(value) <= maximum:
            # The error repeats the text as the stack wrote it, as for any other setting.
            raise ConfigError(
                _full(key), value, f"must be at least {minimum} and at most {maximum}"
            )
        return int(value)

    def text_list(self, key: str, default: Sequence[str] = ()) -> list:
        """A list of strings; the CLI passes YAML lists and ``--path`` items as JSON text.

        Text that is not JSON, such as ``v,release-``, is what a plain ``pulumi config set``
        stores; it is refused rather than guessed at, with the ``--path`` command that sets a
        list (the README documents only ``--path`` and YAML lists).
        """
        value = self.raw(key)
        if value is None:
            return list(default)
        try:
            items = json.loads(value)
        except json.JSONDecodeError:
            items = None
        if not isinstance(items, list) or not all(isinstance(item, str) for item in items):
            fix = set_command(_full(key), path=f"{_full(key)}[0]") + ", then [1] ..."
            raise ConfigError(_full(key), value, "must be a list of strings", fix)
        return items


def full_match(pattern: str, value: str) -> bool:
    """Whether ``value`` matches ``pattern`` whole, with ``\\d``, ``\\w`` and ``\\s`` in ASCII."""
    return re.fullmatch(pattern, value, re.ASCII) is not None


def _full(key: str) -> str:
    """Qualify a bare key with the project namespace; provider keys (``aws:region``) pass."""
    return key if ":" in key else f"{PROJECT}:{key}"
