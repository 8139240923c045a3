"""DOCR push refusals: tier limits and expired credentials are named as what they are."""

from datetime import datetime, timezone

import pytest

from registry_lab.lab.digitalocean_refusals import (
    DENIED,
    EXPIRED,
    OTHER,
    REPOSITORY_LIMIT,
    STORAGE_LIMIT,
    UNAUTHORIZED,
    classify_push_refusal,
)
from registry_lab.lab.login import PULL_ONLY, PUSH

DETAILS = {
    "registryName": "registry-lab-demo",
    "tier": "starter",
    "region": "ams3",
    "adopted": False,
    "pushExpirySeconds": 3600,
    "pullOnlyExpirySeconds": 86400,
    "pushCredentialsExpireAt": "2026-12-04T16:00:00Z",
    "pullOnlyCredentialsExpireAt": "2026-12-05T15:00:00Z",
}
BEFORE_ANY_EXPIRY = datetime(2026, 12, 4, 15, 30, tzinfo=timezone.utc)
AFTER_PUSH_EXPIRY = datetime(2026, 12, 4, 16, 0, 1, tzinfo=timezone.utc)
AFTER_BOTH_EXPIRE = datetime(2026, 12, 6, 9, 0, tzinfo=timezone.utc)

STARTER_LIMIT = "denied: registry contains 1 repositories, limit is 1"


def test_starter_repository_limit_is_reported_as_the_tiers_limit():
    refusal = classify_push_refusal(403, STARTER_LIMIT, DETAILS, now=BEFORE_ANY_EXPIRY)

    assert refusal.kind == REPOSITORY_LIMIT
    assert refusal.message.startswith(
        "registry.digitalocean.com/registry-lab-demo: the starter tier allows one repository "
        "and the registry already holds 1;"
    )
    assert "authentication failed" not in refusal.message


def test_repository_limit_behind_a_failed_token_fetch_is_still_the_tiers_limit():
    buildx = (
        "ERROR: failed to authorize: failed to fetch oauth token: unexpected status: "
        "403 Forbidden\n" + STARTER_LIMIT
    )

    refusal = classify_push_refusal(None, buildx, DETAILS, now=BEFORE_ANY_EXPIRY)

    assert refusal.kind == REPOSITORY_LIMIT


@pytest.mark.parametrize("status, text, details, role, now, kind, said", [
    (
        403, "denied: registry contains 5 repositories, limit is 5", {**DETAILS, "tier": "basic"},
        PUSH, BEFORE_ANY_EXPIRY, REPOSITORY_LIMIT,
        "the basic tier allows 5 repositories and the registry already holds 5",
    ),
    (
        403, "denied: storage quota exceeded", DETAILS, PUSH, BEFORE_ANY_EXPIRY, STORAGE_LIMIT,
        "the starter tier's storage allowance (500 MiB) is used up",
    ),
    (
        # A 403 after expiry is the expiry, not a denial.
        403, "denied: requested access to the resource is denied", DETAILS, PULL_ONLY,
        AFTER_BOTH_EXPIRE, EXPIRED, "the pull-only credentials expired at 2026-12-05 15:00:00 UTC",
    ),
    (
        401, "unauthorized: authentication required", DETAILS, PUSH, BEFORE_ANY_EXPIRY,
        UNAUTHORIZED, "the login is broken",
    ),
], ids=["basic-tier-limit", "storage-limit", "403-after-expiry", "401-before-expiry"])
def test_a_refusal_is_named_for_its_cause(status, text, details, role, now, kind, said):
    refusal = classify_push_refusal(status, text, details, role=role, now=now)

    assert refusal.kind == kind
    assert said in refusal.message


def test_401_after_the_push_credentials_expired_is_reported_as_expired():
    refusal = classify_push_refusal(
        401, "unauthorized: authentication required", DETAILS, role=PUSH, now=AFTER_PUSH_EXPIRY
    )

    assert refusal.kind == EXPIRED
    assert refusal.message.startswith(
        "registry.digitalocean.com/registry-lab-demo: the push credentials expired at "
        "2026-12-04 16:00:00 UTC; this is not a permission denial"
    )


def test_403_before_expiry_is_a_denied_push():
    refusal = classify_push_refusal(
        403, "denied: requested access to the resource is denied", DETAILS,
        role=PULL_ONLY, now=BEFORE_ANY_EXPIRY,
    )

    assert refusal.kind == DENIED
    assert refusal.message == (
        "registry.digitalocean.com/registry-lab-demo: the registry denied the push (403) with "
        "the pull-only credentials"
    )


def test_each_role_is_judged_by_its_own_credentials_expiry():
    # The push credentials have expired by now; the pull-only ones have not.
    pull_only = classify_push_refusal(403, "denied", DETAILS, role=PULL_ONLY,
                                      now=AFTER_PUSH_EXPIRY)
    push = classify_push_refusal(403, "denied", DETAILS, role=PUSH, now=AFTER_PUSH_EXPIRY)

    assert (pull_only.kind, push.kind) == (DENIED, EXPIRED)


def test_status_is_read_from_dockers_error_code_when_none_is_given():
    text = "unauthorized: authentication required"

    before = classify_push_refusal(None, text, DETAILS, now=BEFORE_ANY_EXPIRY)
    after = classify_push_refusal(None, text, DETAILS, now=AFTER_PUSH_EXPIRY)

    assert (before.kind, after.kind) == (UNAUTHORIZED, EXPIRED)


def test_refusal_without_a_known_expiry_is_never_called_expired():
    details = {key: value for key, value in DETAILS.items() if "ExpireAt" not in key}

    refusal = classify_push_refusal(401, "unauthorized", details, now=AFTER_BOTH_EXPIRE)

    assert refusal.kind == UNAUTHORIZED


def test_other_failures_keep_the_registrys_first_line():
    refusal = classify_push_refusal(
        500, "received unexpected HTTP status: 500 Internal Server Error\nretrying", DETAILS,
        now=BEFORE_ANY_EXPIRY,
    )

    assert refusal.kind == OTHER
    assert refusal.message == (
        "registry.digitalocean.com/registry-lab-demo: the push failed (500): received "
        "unexpected HTTP status: 500 Internal Server Error"
    )


def test_an_expiry_written_with_an_offset_is_compared_and_reported_in_utc():
    details = {**DETAILS, "pushCredentialsExpireAt": "2026-12-04T17:00:00+01:00"}

    refusal = classify_push_refusal(401, "unauthorized", details, now=AFTER_PUSH_EXPIRY)

    assert refusal.kind == EXPIRED
    assert "expired at 2026-12-04 16:00:00 UTC" in refusal.message
