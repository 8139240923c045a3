"""What can stop a lab step, as typed errors that each carry their exit code.

Every message is one line that names the registry (or the tool) and what went wrong; the command
line prints it as it is. No message ever holds a password: the texts quoted from other tools are
passed through ``redact`` first.
"""

from typing import Iterable

from registry_lab.lab import exit_codes


class LabFailure(Exception):
    """A step could not finish; ``str()`` is the line a person reads."""

    exit_code = exit_codes.CONTAINER_CLI


class ContractFailure(LabFailure):
    exit_code = exit_codes.CONTRACT


class CliMissing(LabFailure):
    exit_code = exit_codes.CONTAINER_CLI


class DaemonDown(LabFailure):
    exit_code = exit_codes.CONTAINER_CLI


class CliFailed(LabFailure):
    """The container CLI failed for a reason none of the other kinds names."""

    exit_code = exit_codes.CONTAINER_CLI


class Unreachable(LabFailure):
    exit_code = exit_codes.UNREACHABLE


class Unauthorized(LabFailure):
    exit_code = exit_codes.UNAUTHORIZED


class TokenExpired(Unauthorized):
    """A 401 right after a fresh login: the token expired or the login is broken."""


class Denied(LabFailure):
    exit_code = exit_codes.DENIED


class RateLimited(LabFailure):
    exit_code = exit_codes.RATE_LIMITED


class ServerError(LabFailure):
    exit_code = exit_codes.SERVER_ERROR


class ImmutableTag(LabFailure):
    exit_code = exit_codes.IMMUTABLE_TAG


class NotFound(LabFailure):
    exit_code = exit_codes.NOT_FOUND


class LimitReached(LabFailure):
    """The registry refused a write for its plan's limits, not for the identity's rights."""

    exit_code = exit_codes.REGISTRY_LIMIT


class BadSetting(LabFailure):
    """An environment variable the lab reads holds a value it cannot use."""

    exit_code = exit_codes.USAGE


class OfflineLabFailure(LabFailure):
    exit_code = exit_codes.OFFLINE_LAB


# The container CLI could not run at all: whatever the step was to prove stays unproven.
CLI_UNAVAILABLE = (CliMissing, DaemonDown)


def redact(text: str, secrets: Iterable[str]) -> str:
    """``text`` with every non-empty secret replaced by ``***``."""
    for secret in secrets:
        if secret:
            text = text.replace(secret, "***")
    return text
