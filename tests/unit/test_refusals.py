"""A registry's 401 or 403, refined in its cloud's terms only where that cloud has a refiner."""

import pytest

from registry_lab.lab import failures, refusals
from registry_lab.lab.login import PULL_ONLY, PUSH

FULL = "push 127.0.0.1/registry-lab/demo:v1: denied: registry contains 1 repositories, limit is 1"


def contract(cloud, **details):
    return {"cloud": cloud, "details": {"registryName": "lab", "tier": "starter", **details}}


def test_a_full_digitalocean_registry_is_its_limit_not_a_denial():
    refined = refusals.refined(contract("digitalocean"), PUSH, failures.Denied(FULL))

    assert type(refined) is failures.LimitReached


def test_expired_digitalocean_credentials_are_an_expiry_not_a_denial():
    expired = contract("digitalocean", pullOnlyCredentialsExpireAt="2020-01-01T00:00:00Z")

    refined = refusals.refined(expired, PULL_ONLY, failures.Denied("push x: denied (403)"))

    assert type(refined) is failures.TokenExpired


@pytest.mark.parametrize("cloud", ["aws", "gcp", "local", None])
def test_a_cloud_without_a_refiner_keeps_the_failure_it_got(cloud):
    failure = failures.Denied(FULL)

    assert refusals.refined(contract(cloud), PUSH, failure) is failure


def test_a_failure_that_is_no_refusal_is_never_refined():
    failure = failures.Unreachable(FULL)

    assert refusals.refined(contract("digitalocean"), PUSH, failure) is failure


def test_the_refiner_comes_from_the_table_by_cloud(monkeypatch):
    seen = []
    monkeypatch.setitem(refusals.REFINERS, "aws",
                        lambda *args: seen.append(args) or failures.LimitReached("full"))

    refined = refusals.refined(contract("aws"), PUSH, failures.Unauthorized("no"))

    assert type(refined) is failures.LimitReached
    assert [args[2] for args in seen] == [401]
