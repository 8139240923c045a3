"""Keys a stack may set: only those Pulumi.yaml declares, and only those of the stack's cloud.

Every refusal is one line naming key, value and rule, and comes before any registration.
"""

import pytest
from pulumi.runtime.config import set_all_config

from registry_lab import aws, digitalocean, gcp
from registry_lab.config.engine import engine_config
from registry_lab.config.project_keys import closest_key, refuse_undeclared_keys
from registry_lab.errors import ConfigError, is_secret
from tests.pulumi_harness import _reset_runtime
from tests.unit.stack_runs import (
    DECLARED, TABLES, RegistrationWatch, declared_defaults, refused, run_stack,
)

CLOUD_KEYS = {"aws": aws.KEYS, "gcp": gcp.KEYS, "digitalocean": digitalocean.KEYS}


# Keys Pulumi.yaml does not declare

@pytest.mark.parametrize("stack, key, value, expected", [
    (
        "aws", "repositoryname", "Bad_Name",
        "registry-lab:repositoryname='Bad_Name': is not a setting of this project "
        "(Pulumi.yaml declares every one); did you mean registry-lab:repositoryName? "
        "(fix with: pulumi config rm registry-lab:repositoryname --stack aws, "
        "then pulumi config set registry-lab:repositoryName <value> --stack aws)",
    ),
    (
        # Like no declared key: no suggestion.
        "gcp", "webhookUrl", "https://hooks.example.com/lab",
        "registry-lab:webhookUrl='https://hooks.example.com/lab': is not a setting of this "
        "project (Pulumi.yaml declares every one) (fix with: pulumi config rm "
        "registry-lab:webhookUrl --stack gcp)",
    ),
], ids=["misspelt", "like-none"])
def test_an_undeclared_key_is_refused_with_the_key_it_resembles_if_any(
    stack, key, value, expected
):
    assert refused(stack, {f"registry-lab:{key}": value}) == expected


def test_a_key_missing_a_letter_is_refused_with_the_key_it_resembles():
    message = refused("aws", {"registry-lab:untagedImageDays": "abc"})

    assert message.startswith(
        "registry-lab:untagedImageDays='abc': is not a setting of this project "
        "(Pulumi.yaml declares every one); did you mean registry-lab:untaggedImageDays?"
    )


@pytest.mark.parametrize("stack", sorted(TABLES))
def test_a_misspelt_key_is_refused_on_every_stack(stack):
    message = refused(stack, {"registry-lab:cleanupDryrun": "true"})

    assert "did you mean registry-lab:cleanupDryRun?" in message
    assert message.endswith(f"--stack {stack})")


def test_a_misspelt_cloud_key_is_named_before_the_missing_cloud():
    message = refused("aws", {"registry-lab:clod": "aws"}, removals=("registry-lab:cloud",))

    assert "did you mean registry-lab:cloud?" in message


def test_keys_of_providers_are_left_to_their_providers():
    run = run_stack("aws", {"aws:profile": "lab", "aws:skipMetadataApiCheck": "true"})

    assert run.outputs["registryHost"]


def test_an_undeclared_secret_key_is_refused_without_showing_its_value():
    _reset_runtime()
    try:
        set_all_config({"registry-lab:pasword": "hunter2-secret"}, ["registry-lab:pasword"])
        with pytest.raises(ConfigError) as error:
            refuse_undeclared_keys(engine_config())
    finally:
        _reset_runtime()

    assert "hunter2" not in str(error.value)
    assert str(error.value).startswith("registry-lab:pasword=[secret]: is not a")


def test_an_undeclared_plain_key_is_refused_showing_its_value():
    # The control for the test above: the same key, not secret, is shown.
    _reset_runtime()
    try:
        set_all_config({"registry-lab:pasword": "hunter2-plain"}, [])
        with pytest.raises(ConfigError) as error:
            refuse_undeclared_keys(engine_config())
    finally:
        _reset_runtime()

    assert str(error.value).startswith("registry-lab:pasword='hunter2-plain': is not a")


def test_the_nearest_key_ignores_case():
    assert closest_key("REPOSITORYNAME") == "repositoryName"
    assert closest_key("taggedImagesToKep") == "taggedImagesToKeep"
    assert closest_key("completely-different") is None


# Keys of another cloud

def test_a_digitalocean_key_set_on_an_aws_stack_is_refused():
    message = refused("aws", {"registry-lab:registryTier": "basic"})

    assert message == (
        "registry-lab:registryTier='basic': applies to cloud digitalocean; this stack's cloud "
        "is aws (fix with: pulumi config rm registry-lab:registryTier --stack aws)"
    )


@pytest.mark.parametrize("stack, key, value, owner", [
    ("gcp", "untaggedImageDays", "7", "aws"),
    ("digitalocean", "location", "europe-west1", "gcp"),
    ("digitalocean", "pullOnlyUser", "yes", "aws"),  # a boolean set against its default
])
def test_a_key_of_another_cloud_is_refused_naming_its_cloud(stack, key, value, owner):
    message = refused(stack, {f"registry-lab:{key}": value})

    assert message.startswith(
        f"registry-lab:{key}={value!r}: applies to cloud {owner}; this stack's cloud is {stack}"
    )


def test_another_clouds_list_key_with_items_is_refused():
    message = refused("gcp", {"registry-lab:pullOnlyPrincipals": ["arn:aws:iam::1:root"]},
                      with_declared_defaults=True)

    assert "applies to cloud aws; this stack's cloud is gcp" in message


@pytest.mark.parametrize("stack", sorted(TABLES))
def test_every_declared_default_passed_by_the_cli_is_accepted(stack):
    # The CLI passes every declared key's default to every stack, whatever its cloud.
    run = run_stack(stack, with_declared_defaults=True)

    assert run.outputs["registryHost"]


@pytest.mark.parametrize(
    "key, value",
    [
        ("registry-lab:scanOnPush", "True"),        # a boolean default, in other words
        ("registry-lab:untaggedImageDays", "14"),   # the integer default
        ("registry-lab:taggedImagePrefixes", "[]"),  # the list default
        ("registry-lab:registryTier", "starter"),   # the text default
        ("registry-lab:registryName", "   "),       # blank is unset
    ],
)
def test_another_clouds_key_holding_its_default_is_accepted(key, value):
    run = run_stack("gcp", {key: value}, with_declared_defaults=True)

    assert run.outputs["registryHost"]


# Which keys each cloud reads

@pytest.mark.parametrize("cloud, marker", [
    ("aws", "aws: "), ("gcp", "(gcp)"), ("digitalocean", "(digitalocean)"),
])
def test_each_cloud_reads_exactly_the_keys_pulumi_yaml_describes_as_its_own(cloud, marker):
    described = {
        name for name, entry in DECLARED.items() if marker in entry.get("description", "")
    }

    assert CLOUD_KEYS[cloud] == described


def test_every_declared_key_but_cloud_belongs_to_exactly_one_cloud():
    owners = {}
    for cloud, keys in CLOUD_KEYS.items():
        for key in keys:
            owners.setdefault(key, []).append(cloud)

    assert set(owners) == set(DECLARED) - {"cloud"}
    assert all(len(clouds) == 1 for clouds in owners.values()), owners


def test_the_cli_defaults_cover_every_declared_key_but_cloud():
    assert set(declared_defaults()) == {f"registry-lab:{key}" for key in DECLARED} - {
        "registry-lab:cloud"
    }


# Every key the engine passed

def test_engine_config_lists_keys_set_by_set_all_config():
    _reset_runtime()
    try:
        set_all_config({"registry-lab:cloud": "aws", "registry-lab:typo": "x"},
                       ["registry-lab:typo"])
        config = engine_config()
        secret = {key: is_secret(key) for key in config.values}
    finally:
        _reset_runtime()

    assert config.values == {"registry-lab:cloud": "aws", "registry-lab:typo": "x"}
    assert secret == {"registry-lab:cloud": False, "registry-lab:typo": True}


def test_engine_config_lists_keys_the_language_host_passes_in_its_environment(monkeypatch):
    monkeypatch.setenv("PULUMI_CONFIG", '{"registry-lab:cloud": "gcp", "gcp:project": "p"}')
    monkeypatch.setenv("PULUMI_CONFIG_SECRET_KEYS", '["gcp:project"]')
    _reset_runtime()

    config = engine_config()

    assert config.values == {"registry-lab:cloud": "gcp", "gcp:project": "p"}
    assert is_secret("gcp:project") and not is_secret("registry-lab:cloud")
    assert str(ConfigError("gcp:project", "p", "a rule")).startswith("gcp:project=[secret]: ")


def test_the_watch_sees_every_registration_of_a_good_run():
    # Without this, "nothing registered" could hold only because the watch sees nothing.
    for stack, (_, computed) in TABLES.items():
        watch = RegistrationWatch(computed)
        run = run_stack(stack, watch=watch)
        assert watch.registered, stack
        assert sorted(watch.registered) == sorted(r.type for r in run.resources), stack
