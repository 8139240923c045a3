"""The digitalocean stack under mocks: the registry, its two credentials, adoption, exports."""

import json

import yaml

from registry_lab.contract import CONTRACT_KEYS
from registry_lab.digitalocean import settings as do_settings
from registry_lab.lab.adapters import login_for
from registry_lab.lab.login import PULL_ONLY, PUSH
from tests.pulumi_harness import ROOT
from tests.unit.digitalocean_stack_support import (
    ADOPTED_NAME,
    ADOPTED_REGION,
    ADOPTED_TIER,
    COMPONENT,
    CREDENTIALS,
    GET_REGISTRY,
    HOST,
    PULL_ONLY_TOKEN,
    PUSH_TOKEN,
    REGISTRY,
    docker_config,
    run_adopting,
    run_digitalocean,
)

STACK_REGISTRY = "registry-lab-demo"


def credentials_by_write_flag(run):
    found = {resource.inputs["write"]: resource for resource in run.of_type(CREDENTIALS)}
    assert set(found) == {True, False}, f"expected one read-write and one read-only: {found}"
    return found[True], found[False]


# The registry

def test_registry_is_created_with_the_stack_files_name_tier_and_region():
    run = run_digitalocean()

    registry = run.one(REGISTRY)
    assert registry.name == "lab-registry"
    assert registry.inputs["name"] == STACK_REGISTRY
    assert registry.inputs["subscriptionTierSlug"] == "starter"
    assert registry.inputs["region"] == "ams3"


def test_registry_tier_and_region_follow_the_settings():
    run = run_digitalocean(overrides={
        "registry-lab:registryTier": "professional",
        "registry-lab:registryRegion": "syd1",
    })

    registry = run.one(REGISTRY)
    assert registry.inputs["subscriptionTierSlug"] == "professional"
    assert registry.inputs["region"] == "syd1"


def test_tier_defaults_to_starter_and_region_to_nyc3_when_unset():
    run = run_digitalocean(removals=("registry-lab:registryTier", "registry-lab:registryRegion"))

    registry = run.one(REGISTRY)
    assert registry.inputs["subscriptionTierSlug"] == "starter"
    assert registry.inputs["region"] == "nyc3"


# The two credentials

def test_push_credentials_are_read_write_with_their_configured_expiry():
    run = run_digitalocean(overrides={"registry-lab:pushCredentialsExpirySeconds": "7200"})

    push, _ = credentials_by_write_flag(run)
    assert push.name == "lab-push-credentials"
    assert push.inputs["write"] is True
    assert push.inputs["expirySeconds"] == 7200
    assert push.inputs["registryName"] == STACK_REGISTRY


def test_pull_only_credentials_are_read_only_with_their_own_expiry():
    run = run_digitalocean(overrides={
        "registry-lab:pushCredentialsExpirySeconds": "7200",
        "registry-lab:pullOnlyCredentialsExpirySeconds": "1209600",
    })

    push, pull_only = credentials_by_write_flag(run)
    assert pull_only.name == "lab-pull-only-credentials"
    assert pull_only.inputs["write"] is False
    assert pull_only.inputs["expirySeconds"] == 1209600
    assert push.inputs["expirySeconds"] == 7200
    assert pull_only.inputs["registryName"] == STACK_REGISTRY


def test_credentials_expire_after_one_day_when_the_expiry_is_unset():
    run = run_digitalocean(removals=(
        "registry-lab:pushCredentialsExpirySeconds",
        "registry-lab:pullOnlyCredentialsExpirySeconds",
    ))

    push, pull_only = credentials_by_write_flag(run)
    assert push.inputs["expirySeconds"] == 86400
    assert pull_only.inputs["expirySeconds"] == 86400


# Adopting the account's registry

def test_adopting_registers_no_registry_so_destroy_has_none_to_delete():
    run = run_adopting()

    assert run.of_type(REGISTRY) == []
    assert sorted(resource.type for resource in run.resources) == sorted(
        [COMPONENT, CREDENTIALS, CREDENTIALS]
    )
    assert run.invokes == [(GET_REGISTRY, {"name": ADOPTED_NAME})]


def test_adopted_registry_receives_both_credentials():
    run = run_adopting()

    push, pull_only = credentials_by_write_flag(run)
    assert push.inputs["registryName"] == ADOPTED_NAME
    assert pull_only.inputs["registryName"] == ADOPTED_NAME


def test_adopted_registry_name_tier_and_region_are_exported_as_the_account_has_them():
    run = run_adopting()

    assert run.outputs["repositoryUrl"] == f"{HOST}/{ADOPTED_NAME}/demo"
    assert run.outputs["imageRef"] == f"{HOST}/{ADOPTED_NAME}/demo:v1"
    details = run.outputs["details"]
    assert details["registryName"] == ADOPTED_NAME
    assert details["adopted"] is True
    # The account's registry is basic in fra1; the stack file's starter/ams3 must not leak in.
    assert details["tier"] == ADOPTED_TIER
    assert details["region"] == ADOPTED_REGION


def test_creating_stack_invokes_no_registry_lookup():
    run = run_digitalocean()

    assert run.invokes == []
    assert run.outputs["details"]["adopted"] is False


# Exports

def test_exports_carry_exactly_the_contract_keys():
    run = run_digitalocean()

    assert sorted(run.outputs) == sorted(CONTRACT_KEYS)


def test_exports_name_the_docr_host_repository_and_image():
    run = run_digitalocean()

    assert run.outputs["cloud"] == "digitalocean"
    assert run.outputs["registryHost"] == "registry.digitalocean.com"
    assert run.outputs["repositoryUrl"] == f"registry.digitalocean.com/{STACK_REGISTRY}/demo"
    assert run.outputs["imageRef"] == f"registry.digitalocean.com/{STACK_REGISTRY}/demo:v1"


def test_both_identities_log_in_with_a_docker_config():
    run = run_digitalocean()

    assert run.outputs["pushIdentity"] == {"method": "docker-config"}
    assert run.outputs["pullOnlyIdentity"] == {"method": "docker-config"}


def test_details_report_tier_region_and_when_each_credential_expires():
    run = run_digitalocean(overrides={
        "registry-lab:pushCredentialsExpirySeconds": "3600",
        "registry-lab:pullOnlyCredentialsExpirySeconds": "172800",
    })

    assert run.outputs["details"] == {
        "registryName": STACK_REGISTRY,
        "tier": "starter",
        "region": "ams3",
        "adopted": False,
        "pushExpirySeconds": 3600,
        "pullOnlyExpirySeconds": 172800,
        "pushCredentialsExpireAt": "2026-12-04T16:00:00Z",
        "pullOnlyCredentialsExpireAt": "2026-12-06T15:00:00Z",
    }


def test_push_credentials_export_the_read_write_docker_config():
    run = run_digitalocean()

    assert run.outputs["pushCredentials"] == {"dockerConfigJson": docker_config(PUSH_TOKEN)}
    assert run.outputs["pullOnlyCredentials"] == {
        "dockerConfigJson": docker_config(PULL_ONLY_TOKEN)
    }


def test_credentials_are_exported_only_as_secrets():
    run = run_digitalocean()

    assert {"pushCredentials", "pullOnlyCredentials"} <= run.secret_outputs
    plain = {key: value for key, value in run.outputs.items() if key not in run.secret_outputs}
    plain_text = json.dumps(plain)
    for token in (PUSH_TOKEN, PULL_ONLY_TOKEN):
        assert token not in plain_text, "a token leaked into a plain export"
        encoded_auth = json.loads(docker_config(token))["auths"][HOST]["auth"]
        assert encoded_auth not in plain_text, "a docker auth leaked into a plain export"


def test_login_command_reads_the_password_from_stdin_and_holds_no_secret():
    run = run_digitalocean()

    command = run.outputs["loginCommand"]
    assert "docker login registry.digitalocean.com" in command
    assert "--password-stdin" in command
    assert "pulumi stack output pushCredentials --stack digitalocean" in command
    assert "--username registry-lab" in command
    assert PUSH_TOKEN not in command and "--password " not in command


def test_exported_contract_logs_in_as_push_and_pull_only_through_the_adapter():
    run = run_digitalocean()

    push = login_for(run.outputs, PUSH)
    pull_only = login_for(run.outputs, PULL_ONLY)
    assert (push.host, push.username, push.password) == (HOST, "registry-lab", PUSH_TOKEN)
    assert (pull_only.host, pull_only.username, pull_only.password) == (
        HOST, "registry-lab", PULL_ONLY_TOKEN
    )


# Parenting

def test_every_child_of_a_created_registry_is_parented_to_the_component():
    run = run_digitalocean()

    component = run.component()
    assert component.type == COMPONENT
    children = [resource for resource in run.resources if resource.custom]
    assert len(children) == 3
    for child in children:
        assert child.parent == component.urn, f"{child.name} is not under {component.name}"


def test_every_child_of_an_adopted_registry_is_parented_to_the_component():
    run = run_adopting()

    component = run.component()
    children = [resource for resource in run.resources if resource.custom]
    assert len(children) == 2
    for child in children:
        assert child.parent == component.urn, f"{child.name} is not under {component.name}"


# Pulumi.yaml

def test_every_digitalocean_setting_is_declared_with_the_programs_default():
    declared = yaml.safe_load((ROOT / "Pulumi.yaml").read_text())["config"]

    # A declared key without a default is required on every stack, aws and gcp included.
    expected = {
        do_settings.REGISTRY_NAME_KEY: "",
        do_settings.EXISTING_REGISTRY_KEY: "",
        do_settings.TIER_KEY: do_settings.DEFAULT_TIER,
        do_settings.REGION_KEY: do_settings.DEFAULT_REGION,
        do_settings.PUSH_EXPIRY_KEY: do_settings.DEFAULT_EXPIRY_SECONDS,
        do_settings.PULL_ONLY_EXPIRY_KEY: do_settings.DEFAULT_EXPIRY_SECONDS,
    }
    for key, default in expected.items():
        assert key in declared, f"{key} is not declared in Pulumi.yaml"
        assert declared[key].get("default") == default, f"{key} default differs"
        assert declared[key].get("description"), f"{key} has no description"
