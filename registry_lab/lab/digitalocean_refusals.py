"""Why DigitalOcean's registry refused a push, in words a person can act on.

DOCR answers several different problems with the same few words. A push over the tier's
repository limit comes back as "denied", which docker and buildx may show as a failed token
fetch; expired Docker credentials come back as a plain 401. Reported as they come, the first
reads like a permission problem and the second like a broken login. This module tells them
apart from the status, the registry's error text and the contract's details, and does no I/O.
"""

import re
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, Mapping, Optional

from registry_lab.digitalocean_facts import REGISTRY_HOST
from registry_lab.lab.login import PULL_ONLY, PUSH

# What a refusal was; the lab decides what each kind means for its check.
REPOSITORY_LIMIT = "repository-limit"
STORAGE_LIMIT = "storage-limit"
EXPIRED = "expired"
DENIED = "denied"
UNAUTHORIZED = "unauthorized"
OTHER = "other"

# DigitalOcean's pricing page: starter holds 1 repository and 500 MiB and cannot buy more
# storage; basic 5 repositories and 5 GiB; professional unlimited repositories and 100 GiB.
TIER_STORAGE = {"starter": "500 MiB", "basic": "5 GiB", "professional": "100 GiB"}

# The registry's words for a push that would add a repository over the tier's limit, as users
# quote them from `docker push` (docker/build-push-action#586, "denied: registry contains 1
# repositories, limit is 1"; others quote the same sentence with "5 ... limit is 5" on basic).
REPOSITORY_LIMIT_TEXT = re.compile(
    r"registry contains (\d+) repositor(?:y|ies),? limit is (\d+)", re.IGNORECASE
)

# No verbatim DOCR text for a full storage allowance turned up in public reports or docs, so
# this matches the words such a refusal must carry (storage with quota, limit or exceeded)
# rather than one exact sentence; what it must never do is pass for a failed login.
STORAGE_LIMIT_TEXT = re.compile(
    r"storage\b.*\b(quota|limit|exceed)|\b(quota|limit)\b.*\bstorage", re.IGNORECASE
)

# Where the registry's answer has no status (docker's stderr), its error code tells it.
_STATUS_BY_CODE = {"unauthorized": 401, "denied": 403}

_EXPIRY_DETAIL = {PUSH: "pushCredentialsExpireAt", PULL_ONLY: "pullOnlyCredentialsExpireAt"}


@dataclass(frozen=True)
class PushRefusal:
    kind: str
    message: str


def classify_push_refusal(
    status: Optional[int],
    error_text: str,
    details: Mapping[str, Any],
    role: str = PUSH,
    now: Optional[datetime] = None,
) -> PushRefusal:
    """Say why DOCR refused a push (or pull), so the lab reports the cause, not the symptom.

    Signature: ``classify_push_refusal(status, error_text, details, role=PUSH, now=None)``
    returning ``PushRefusal(kind, message)``; ``kind`` is one of REPOSITORY_LIMIT,
    STORAGE_LIMIT, EXPIRED, DENIED, UNAUTHORIZED, OTHER, and ``message`` is one line for people.

    status: the HTTP status of the refused request (401, 403, ...), or None when only the
        client's text is known; then "unauthorized:" counts as 401 and "denied:" as 403.
    error_text: the registry's error message or the client's stderr for the refusal.
    details: the contract's ``details`` (registryName, tier, pushCredentialsExpireAt,
        pullOnlyCredentialsExpireAt) from the digitalocean stack.
    role: ``registry_lab.lab.login.PUSH`` or ``PULL_ONLY``: whose credentials were used.
    now: when the refusal happened, timezone-aware; the current time by default.

    Tier limits come first because their text is unambiguous; then a 401 or 403 at or after
    the role's credential expiry is EXPIRED (not DENIED); a 401 before it is UNAUTHORIZED, a
    broken login; a 403 is DENIED, the answer the pull-only check expects for a push.
    """
    text = error_text or ""
    where = _registry(details)

    tier_limit = _tier_limit(where, details.get("tier"), text)
    if tier_limit is not None:
        return tier_limit

    status = status if status is not None else _status_from_text(text)
    expires_at = _expiry(details, role)
    moment = now or datetime.now(timezone.utc)
    if status in (401, 403) and expires_at is not None and moment >= expires_at:
        return PushRefusal(
            EXPIRED,
            f"{where}: the {role} credentials expired at {expires_at:%Y-%m-%d %H:%M:%S} UTC; "
            f"this is not a permission denial: issue new ones with `pulumi up --refresh` "
            f"on the digitalocean stack",
        )

    return _by_status(where, role, status, text)


def _tier_limit(where: str, tier: Optional[str], text: str) -> Optional[PushRefusal]:
    """A refusal for the tier's repository or storage limit, or None when the text is not one."""
    limit = REPOSITORY_LIMIT_TEXT.search(text)
    if limit:
        held, allowed = int(limit.group(1)), int(limit.group(2))
        return PushRefusal(REPOSITORY_LIMIT, _repository_limit_message(where, tier, held, allowed))

    if STORAGE_LIMIT_TEXT.search(text):
        return PushRefusal(STORAGE_LIMIT, _storage_limit_message(where, tier))
    return None


def _by_status(where: str, role: str, status: Optional[int], text: str) -> PushRefusal:
    if status == 401:
        return PushRefusal(
            UNAUTHORIZED,
            f"{where}: the registry refused the {role} credentials (401 unauthorized): "
            f"the login is broken (wrong or revoked credentials), not a denied push",
        )
    if status == 403:
        return PushRefusal(
            DENIED,
            f"{where}: the registry denied the push (403) with the {role} credentials",
        )
    failure = f"{status}" if status else "no status"
    return PushRefusal(OTHER, f"{where}: the push failed ({failure}): {_first_line(text)}")


def _repository_limit_message(where: str, tier: Optional[str], held: int, allowed: int) -> str:
    allows = "one repository" if allowed == 1 else f"{allowed} repositories"
    plan = f"the {tier} tier" if tier else "this registry's tier"
    return (
        f"{where}: {plan} allows {allows} and the registry already holds {held}; "
        f"this is the tier's limit, not an authentication failure: push more tags to an "
        f"existing repository, delete a repository, or move the registry to a bigger tier"
    )


def _storage_limit_message(where: str, tier: Optional[str]) -> str:
    plan = f"the {tier} tier's" if tier else "this registry's"
    size = f" ({TIER_STORAGE[tier]})" if tier in TIER_STORAGE else ""
    return (
        f"{where}: {plan} storage allowance{size} is used up; this is the tier's limit, not an "
        f"authentication failure: delete tags and run garbage collection, or move the registry "
        f"to a bigger tier"
    )


def _registry(details: Mapping[str, Any]) -> str:
    name = details.get("registryName")
    return f"{REGISTRY_HOST}/{name}" if name else REGISTRY_HOST


def _status_from_text(text: str) -> Optional[int]:
    for code, status in _STATUS_BY_CODE.items():
        if re.search(rf"\b{code}:", text, re.IGNORECASE):
            return status
    return None


def _expiry(details: Mapping[str, Any], role: str) -> Optional[datetime]:
    """The role's credential expiry from the details, or None when absent or unreadable."""
    value = details.get(_EXPIRY_DETAIL.get(role, ""))
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    if moment.tzinfo is None:
        return moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc)


def _first_line(text: str) -> str:
    lines = text.strip().splitlines()
    return lines[0][:200] if lines else "no error text"
