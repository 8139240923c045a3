"""Bad DigitalOcean settings stop the program with one clear line, before any resource."""

import pytest

from registry_lab.digitalocean.settings import REGISTRY_NAME_RULE
from registry_lab.errors import ConfigError
from tests.unit.digitalocean_stack_support import (
    COMPONENT,
    CREDENTIALS,
    REGISTRY,
    RegistrationSpy,
    run_digitalocean,
)


def refused(overrides=None, removals=()):
    """The ConfigError the stack fails with, after checking nothing was registered first."""
    spy = RegistrationSpy()
    with pytest.raises(ConfigError) as error:
        run_digitalocean(overrides=overrides, removals=removals, computed=spy)
    assert spy.registered == [], f"registered before refusing: {spy.registered}"
    return str(error.value)


def name_refused(name):
    return refused(overrides={"registry-lab:registryName": name})


# Registry names

def test_registry_name_with_uppercase_letters_is_refused():
    message = name_refused("Registry-Lab")

    assert message == (
        f"registry-lab:registryName='Registry-Lab': has uppercase letters; {REGISTRY_NAME_RULE}"
        " (fix with: pulumi config set registry-lab:registryName <value> --stack digitalocean)"
    )


def test_registry_name_with_underscores_is_refused():
    message = name_refused("registry_lab")

    assert message.startswith("registry-lab:registryName='registry_lab': has underscores;")


def test_registry_name_with_a_leading_hyphen_is_refused():
    message = name_refused("-registry-lab")

    assert message.startswith(
        "registry-lab:registryName='-registry-lab': does not start with a letter;"
    )


def test_registry_name_with_a_trailing_hyphen_is_refused():
    message = name_refused("registry-lab-")

    assert message.startswith("registry-lab:registryName='registry-lab-': ends with a hyphen;")


def test_registry_name_over_63_characters_is_refused():
    name = "r" * 64

    message = name_refused(name)

    assert message.startswith(
        f"registry-lab:registryName='{name}': is 64 characters long, over the limit of 63;"
    )


def test_registry_name_starting_with_a_digit_is_refused():
    message = name_refused("1registry")

    assert message.startswith(
        "registry-lab:registryName='1registry': does not start with a letter;"
    )


def test_registry_name_of_exactly_63_characters_is_accepted():
    name = "r" + "-0" * 31

    run = run_digitalocean(overrides={"registry-lab:registryName": name})

    assert run.one(REGISTRY).inputs["name"] == name


def test_missing_registry_name_asks_for_one_or_for_adoption():
    message = refused(removals=("registry-lab:registryName",))

    assert message.startswith(
        "registry-lab:registryName is not set: name the registry to create, "
        "or set registry-lab:existingRegistry"
    )


def test_existing_registry_name_breaking_the_rules_is_refused():
    message = refused(
        overrides={"registry-lab:existingRegistry": "Team_Registry"},
        removals=("registry-lab:registryName",),
    )

    assert message.startswith(
        "registry-lab:existingRegistry='Team_Registry': has uppercase letters;"
    )


def test_adopting_one_registry_while_naming_another_to_create_is_refused():
    message = refused(overrides={"registry-lab:existingRegistry": "team-registry"})

    assert message.startswith(
        "registry-lab:registryName='registry-lab-demo': names a registry to create while "
        "registry-lab:existingRegistry adopts 'team-registry'"
    )
    assert message.endswith(
        "(fix with: pulumi config rm registry-lab:registryName --stack digitalocean)"
    )


# Tier and region

@pytest.mark.parametrize("key, value, expected", [
    (
        "registryTier", "premium",
        "registry-lab:registryTier='premium': must be one of starter, basic, professional"
        " (fix with: pulumi config set registry-lab:registryTier <value> --stack digitalocean)",
    ),
    (
        "registryRegion", "lon1",
        "registry-lab:registryRegion='lon1': must be one of nyc3, sfo3, sfo2, ams3, sgp1, fra1,"
        " blr1, syd1 (fix with: pulumi config set registry-lab:registryRegion <value>"
        " --stack digitalocean)",
    ),
])
def test_unknown_tier_or_region_is_refused(key, value, expected):
    assert refused(overrides={f"registry-lab:{key}": value}) == expected


# Credential expiry

OUT_OF_RANGE = "must be at least 1 and at most 2592000"


@pytest.mark.parametrize("key, value, expected_start", [
    # Zero, negative, a second past 30 days, the API's fifty-year default, not a number.
    ("pushCredentialsExpirySeconds", "0",
     f"registry-lab:pushCredentialsExpirySeconds='0': {OUT_OF_RANGE}"
     " (fix with: pulumi config set registry-lab:pushCredentialsExpirySeconds <value>"
     " --stack digitalocean)"),
    ("pullOnlyCredentialsExpirySeconds", "-3600",
     f"registry-lab:pullOnlyCredentialsExpirySeconds='-3600': {OUT_OF_RANGE}"),
    ("pushCredentialsExpirySeconds", "2592001",
     f"registry-lab:pushCredentialsExpirySeconds='2592001': {OUT_OF_RANGE}"),
    ("pullOnlyCredentialsExpirySeconds", "1576800000",
     f"registry-lab:pullOnlyCredentialsExpirySeconds='1576800000': {OUT_OF_RANGE}"),
    ("pushCredentialsExpirySeconds", "1d",
     "registry-lab:pushCredentialsExpirySeconds='1d': must be a whole number"),
])
def test_an_expiry_outside_one_second_to_30_days_is_refused(key, value, expected_start):
    message = refused(overrides={f"registry-lab:{key}": value})

    assert message.startswith(expected_start), message


def test_expiry_of_exactly_30_days_is_accepted():
    run = run_digitalocean(overrides={"registry-lab:pushCredentialsExpirySeconds": "2592000"})

    expiries = {
        resource.inputs["write"]: resource.inputs["expirySeconds"]
        for resource in run.of_type(CREDENTIALS)
    }
    assert expiries[True] == 2592000


def test_the_registration_spy_sees_every_resource_of_a_valid_stack():
    # Without this, "nothing registered" above could hold because the spy sees nothing.
    spy = RegistrationSpy()

    run_digitalocean(computed=spy)

    assert sorted(spy.registered) == sorted([COMPONENT, REGISTRY, CREDENTIALS, CREDENTIALS])
