"""The GCP stack under mocks: what `pulumi up --stack gcp` would register and export."""

import base64
import json

import pytest

from registry_lab.contract import CONTRACT_KEYS
from tests.unit.gcp_state import (
    ACCOUNT,
    ACCOUNT_IAM_MEMBER,
    API_SERVICE,
    KEY,
    PROJECT,
    PULL_ONLY_EMAIL,
    PUSH_EMAIL,
    REPOSITORY,
    REPOSITORY_IAM_MEMBER,
    run_gcp,
)

HOST = "europe-west3-docker.pkg.dev"
REPOSITORY_URL = f"{HOST}/{PROJECT}/registry-lab"
KEYS_ON = {"registry-lab:createServiceAccountKeys": "true"}


@pytest.fixture(scope="module")
def run():
    return run_gcp()


@pytest.fixture(scope="module")
def run_with_keys():
    return run_gcp(overrides=KEYS_ON)


def by_name(run, type_):
    return {resource.name: resource for resource in run.of_type(type_)}


def api(run, service):
    found = [resource for resource in run.of_type(API_SERVICE)
             if resource.inputs["service"] == service]
    assert len(found) == 1, f"expected one Service for {service}, found {found}"
    return found[0]


def test_artifact_registry_api_is_enabled_and_left_on_at_destroy(run):
    registry_api = api(run, "artifactregistry.googleapis.com")

    assert registry_api.name == "lab-artifactregistry-api"
    assert registry_api.inputs["project"] == PROJECT
    assert registry_api.inputs["disableOnDestroy"] is False


def test_iam_apis_for_accounts_and_impersonation_are_enabled_and_left_on(run):
    services = {resource.inputs["service"]: resource.inputs["disableOnDestroy"]
                for resource in run.of_type(API_SERVICE)}

    assert services == {
        "artifactregistry.googleapis.com": False,
        "iam.googleapis.com": False,
        "iamcredentials.googleapis.com": False,
    }


def test_repository_waits_for_the_artifact_registry_api(run):
    repository = run.one(REPOSITORY)

    assert api(run, "artifactregistry.googleapis.com").urn in repository.dependencies


def test_service_accounts_wait_for_the_iam_api(run):
    iam_api = api(run, "iam.googleapis.com")

    for account in run.of_type(ACCOUNT):
        assert iam_api.urn in account.dependencies, account.name


def test_repository_is_docker_in_the_configured_location_and_labelled_as_lab(run):
    inputs = run.one(REPOSITORY).inputs

    assert inputs["format"] == "DOCKER"
    assert inputs["location"] == "europe-west3"
    assert inputs["repositoryId"] == "registry-lab"
    assert inputs["project"] == PROJECT
    assert inputs["description"].startswith("registry-lab")
    assert inputs["labels"] == {
        "app": "registry-lab", "environment": "lab", "managed-by": "pulumi"
    }
    assert inputs["dockerConfig"] == {"immutableTags": False}
    assert inputs["cleanupPolicyDryRun"] is False


def test_cleanup_policies_delete_old_untagged_versions_and_keep_the_newest(run):
    policies = {policy["id"]: policy for policy in run.one(REPOSITORY).inputs["cleanupPolicies"]}

    assert policies == {
        "delete-untagged": {
            "id": "delete-untagged",
            "action": "DELETE",
            "condition": {"tagState": "UNTAGGED", "olderThan": "2592000s"},
        },
        "keep-recent-versions": {
            "id": "keep-recent-versions",
            "action": "KEEP",
            "mostRecentVersions": {"keepCount": 10},
        },
    }


def test_cleanup_numbers_immutable_tags_and_dry_run_follow_the_settings():
    run = run_gcp(overrides={
        "registry-lab:cleanupUntaggedOlderThanDays": "90",
        "registry-lab:cleanupKeepRecentVersions": "3",
        "registry-lab:immutableTags": "true",
        "registry-lab:cleanupDryRun": "true",
    })
    inputs = run.one(REPOSITORY).inputs
    policies = {policy["id"]: policy for policy in inputs["cleanupPolicies"]}

    assert policies["delete-untagged"]["condition"]["olderThan"] == "7776000s"
    assert policies["keep-recent-versions"]["mostRecentVersions"] == {"keepCount": 3}
    assert inputs["dockerConfig"] == {"immutableTags": True}
    assert inputs["cleanupPolicyDryRun"] is True


def test_push_and_pull_only_accounts_are_distinct_service_accounts(run):
    accounts = by_name(run, ACCOUNT)

    assert set(accounts) == {"lab-push-account", "lab-pull-only-account"}
    assert accounts["lab-push-account"].inputs["accountId"] == "registry-lab-push"
    assert accounts["lab-pull-only-account"].inputs["accountId"] == "registry-lab-pull"
    assert {account.inputs["project"] for account in accounts.values()} == {PROJECT}


def test_writer_and_reader_are_bound_on_the_repository(run):
    members = by_name(run, REPOSITORY_IAM_MEMBER)

    push = members["lab-push-repository-access"].inputs
    pull_only = members["lab-pull-only-repository-access"].inputs
    assert len(members) == 2
    assert (push["role"], push["member"]) == (
        "roles/artifactregistry.writer", f"serviceAccount:{PUSH_EMAIL}"
    )
    assert (pull_only["role"], pull_only["member"]) == (
        "roles/artifactregistry.reader", f"serviceAccount:{PULL_ONLY_EMAIL}"
    )
    for binding in (push, pull_only):
        assert (binding["project"], binding["location"], binding["repository"]) == (
            PROJECT, "europe-west3", "registry-lab"
        ), binding


def test_no_role_is_granted_on_the_project(run):
    project_iam = [resource.type for resource in run.resources
                   if resource.type.startswith("gcp:projects/iAM")]

    assert project_iam == []


def test_operator_may_impersonate_each_account_and_nothing_else(run):
    grants = by_name(run, ACCOUNT_IAM_MEMBER)

    assert {name: (grant.inputs["serviceAccountId"], grant.inputs["role"], grant.inputs["member"])
            for name, grant in grants.items()} == {
        "lab-push-impersonation": (
            f"projects/{PROJECT}/serviceAccounts/{PUSH_EMAIL}",
            "roles/iam.serviceAccountTokenCreator",
            "user:ops@example.com",
        ),
        "lab-pull-only-impersonation": (
            f"projects/{PROJECT}/serviceAccounts/{PULL_ONLY_EMAIL}",
            "roles/iam.serviceAccountTokenCreator",
            "user:ops@example.com",
        ),
    }


def test_no_service_account_key_exists_unless_configured(run):
    assert run.of_type(KEY) == []


def test_every_child_is_parented_to_the_registry_component(run_with_keys):
    component = run_with_keys.component()
    children = [resource for resource in run_with_keys.resources if resource.custom]

    assert component.type == "registry-lab:gcp:Registry"
    assert len(children) == 12
    for child in children:
        assert child.parent == component.urn, f"{child.type} {child.name} is not parented"


def test_exports_follow_the_contract_with_artifact_registry_names(run):
    outputs = run.outputs

    assert set(outputs) == set(CONTRACT_KEYS)
    assert outputs["cloud"] == "gcp"
    assert outputs["registryHost"] == HOST
    assert outputs["repositoryUrl"] == REPOSITORY_URL
    assert outputs["imageRef"] == f"{REPOSITORY_URL}/demo:v1"
    assert outputs["details"] == {
        "project": PROJECT, "location": "europe-west3", "repositoryId": "registry-lab"
    }


def test_identities_impersonate_the_two_service_accounts(run):
    assert run.outputs["pushIdentity"] == {
        "method": "gcp-impersonate", "serviceAccount": PUSH_EMAIL
    }
    assert run.outputs["pullOnlyIdentity"] == {
        "method": "gcp-impersonate", "serviceAccount": PULL_ONLY_EMAIL
    }
    assert run.outputs["pushCredentials"] is None
    assert run.outputs["pullOnlyCredentials"] is None


def test_login_command_impersonates_the_push_account_for_the_exact_host(run):
    assert run.outputs["loginCommand"] == (
        f"gcloud auth print-access-token --impersonate-service-account={PUSH_EMAIL}"
        f" | docker login -u oauth2accesstoken --password-stdin https://{HOST}"
    )


def test_multi_region_location_names_the_host():
    run = run_gcp(overrides={"registry-lab:location": "us"})

    assert run.outputs["registryHost"] == "us-docker.pkg.dev"
    assert run.outputs["repositoryUrl"] == f"us-docker.pkg.dev/{PROJECT}/registry-lab"


def test_keys_when_configured_are_created_per_account(run_with_keys):
    keys = by_name(run_with_keys, KEY)

    assert {name: key.inputs["serviceAccountId"] for name, key in keys.items()} == {
        "lab-push-key": f"projects/{PROJECT}/serviceAccounts/{PUSH_EMAIL}",
        "lab-pull-only-key": f"projects/{PROJECT}/serviceAccounts/{PULL_ONLY_EMAIL}",
    }


def test_keys_are_exported_only_as_secrets(run_with_keys):
    outputs = run_with_keys.outputs

    push_encoded = outputs["pushCredentials"]["keyJsonBase64"]
    pull_only_encoded = outputs["pullOnlyCredentials"]["keyJsonBase64"]

    assert run_with_keys.secret_outputs == {"pushCredentials", "pullOnlyCredentials"}
    plain = json.dumps({key: value for key, value in outputs.items()
                        if key not in run_with_keys.secret_outputs})
    assert push_encoded not in plain
    assert pull_only_encoded not in plain
    assert "PRIVATE KEY" not in plain

    push_key = json.loads(base64.b64decode(push_encoded))
    pull_only_key = json.loads(base64.b64decode(pull_only_encoded))
    assert push_key["client_email"] == PUSH_EMAIL
    assert pull_only_key["client_email"] == PULL_ONLY_EMAIL


def test_keys_switch_the_identities_and_login_command_to_the_key(run_with_keys):
    outputs = run_with_keys.outputs

    assert outputs["pushIdentity"] == {"method": "gcp-key", "serviceAccount": PUSH_EMAIL}
    assert outputs["pullOnlyIdentity"] == {"method": "gcp-key", "serviceAccount": PULL_ONLY_EMAIL}
    assert outputs["loginCommand"].startswith(
        "pulumi stack output pushCredentials --stack gcp --show-secrets --json"
    )
    assert "_json_key_base64" in outputs["loginCommand"]
    assert outputs["loginCommand"].endswith(f"--password-stdin https://{HOST}")


def test_keys_without_an_operator_grant_no_impersonation():
    run = run_gcp(overrides=KEYS_ON, removals=("registry-lab:operator",))

    assert run.of_type(ACCOUNT_IAM_MEMBER) == []
    assert len(run.of_type(KEY)) == 2
