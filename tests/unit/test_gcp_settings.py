"""GCP settings: bad input stops the program, naming key, value and rule, before any resource."""

import pytest

from registry_lab.config.reader import ConfigReader
from registry_lab.errors import ConfigError
from registry_lab.gcp.settings import read_settings
from tests import pulumi_harness
from tests.unit.gcp_state import run_gcp


@pytest.fixture
def registrations(monkeypatch):
    """Names of the resources the program registers, to prove bad input registers none."""
    names = []
    original = pulumi_harness.RecordingMocks.new_resource

    def recording(self, args):
        names.append(args.name)
        return original(self, args)

    monkeypatch.setattr(pulumi_harness.RecordingMocks, "new_resource", recording)
    return names


def rejected(registrations, overrides=None, removals=()):
    """The message of the ConfigError the stack run raises; no resource may exist by then."""
    with pytest.raises(ConfigError) as error:
        run_gcp(overrides=overrides, removals=removals)
    assert registrations == [], f"registered before the error: {registrations}"
    return str(error.value)


def settings(**config):
    return read_settings(ConfigReader(config.get))


@pytest.mark.parametrize("location", ["europe-west3", "us-central1", "asia-northeast1", "us",
                                      "europe", "asia"])
def test_real_locations_are_accepted(location):
    chosen = settings(**{"gcp:project": "registry-lab-demo", "registry-lab:location": location,
                         "registry-lab:operator": "user:ops@example.com"})

    assert chosen.location == location
    assert chosen.registry_host == f"{location}-docker.pkg.dev"


REPOSITORY_ID_RULE_START = "must be 1-63 lowercase"


@pytest.mark.parametrize("repository_id, also_said", [
    ("Registry-lab", ""),
    ("registry_lab", ""),
    ("1registry", "starting with a letter"),
    ("-registry", ""),
    ("registry-", "not ending with a hyphen"),
    ("r" * 64, ""),
])
def test_a_repository_id_breaking_the_rule_is_rejected(registrations, repository_id, also_said):
    message = rejected(registrations, {"registry-lab:repositoryId": repository_id})

    assert message.startswith(
        f"registry-lab:repositoryId={repository_id!r}: {REPOSITORY_ID_RULE_START}"
    )
    assert also_said in message


@pytest.mark.parametrize("key, value, expected_start, also_said", [
    ("registry-lab:location", "eu-west3",
     "registry-lab:location='eu-west3': must be an Artifact Registry location", "europe-west3"),
    ("registry-lab:location", "us-central-1",
     "registry-lab:location='us-central-1': must be an Artifact Registry location", ""),
    ("gcp:project", "My Project",
     "gcp:project='My Project': must be a Google Cloud project id", ""),
    ("registry-lab:cleanupUntaggedOlderThanDays", "0",
     "registry-lab:cleanupUntaggedOlderThanDays='0': must be at least 1 and at most 3650", ""),
    ("registry-lab:cleanupKeepRecentVersions", "-2",
     "registry-lab:cleanupKeepRecentVersions='-2': must be at least 1 and at most 10000", ""),
    ("registry-lab:operator", "ops@example.com",
     "registry-lab:operator='ops@example.com': must be an IAM member",
     "user:EMAIL, group:EMAIL or serviceAccount:EMAIL"),
    ("registry-lab:operator", "allUsers",
     "registry-lab:operator='allUsers': must be an IAM member", ""),
])
def test_a_malformed_setting_is_rejected_naming_key_value_and_rule(
    registrations, key, value, expected_start, also_said
):
    message = rejected(registrations, {key: value})

    assert message.startswith(expected_start), message
    assert also_said in message


def test_repository_id_of_63_characters_is_accepted():
    longest = "r" * 62 + "1"
    chosen = settings(**{"gcp:project": "registry-lab-demo", "registry-lab:repositoryId": longest,
                         "registry-lab:operator": "user:ops@example.com"})

    assert chosen.repository_id == longest
    assert chosen.push_account_id == "r" * 25 + "-push"
    assert chosen.pull_only_account_id == "r" * 25 + "-pull"


def test_missing_project_is_rejected(registrations):
    message = rejected(registrations, removals=("gcp:project",))

    assert message.startswith("gcp:project is not set: no project configured")
    assert message.endswith("(fix with: pulumi config set gcp:project <value> --stack gcp)")


@pytest.mark.parametrize("member", ["user:ops@example.com", "group:platform@example.com",
                                    "serviceAccount:ci@registry-lab-demo.iam.gserviceaccount.com"])
def test_operator_member_kinds_are_accepted(member):
    chosen = settings(**{"gcp:project": "registry-lab-demo", "registry-lab:operator": member})

    assert chosen.operator == member


def test_missing_operator_is_rejected_without_keys(registrations):
    message = rejected(registrations, removals=("registry-lab:operator",))

    assert message.startswith(
        "registry-lab:operator is not set: an operator is needed to impersonate"
    )


def test_defaults_are_safe_without_optional_settings():
    chosen = settings(**{"gcp:project": "registry-lab-demo",
                         "registry-lab:operator": "user:ops@example.com"})

    assert (chosen.location, chosen.repository_id) == ("us-central1", "registry-lab")
    assert (chosen.untagged_older_than_days, chosen.keep_recent_versions) == (30, 10)
    assert chosen.create_service_account_keys is False
    assert chosen.cleanup_dry_run is False
