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


def test_location_eu_west3_is_rejected(registrations):
    message = rejected(registrations, {"registry-lab:location": "eu-west3"})

    assert message.startswith("registry-lab:location='eu-west3': must be an Artifact Registry "
                              "location")
    assert "europe-west3" in message


def test_location_us_central_1_is_rejected(registrations):
    message = rejected(registrations, {"registry-lab:location": "us-central-1"})

    assert message.startswith("registry-lab:location='us-central-1': must be an Artifact "
                              "Registry location")


def test_repository_id_with_uppercase_is_rejected(registrations):
    message = rejected(registrations, {"registry-lab:repositoryId": "Registry-lab"})

    assert message.startswith("registry-lab:repositoryId='Registry-lab': must be 1-63 lowercase")


def test_repository_id_with_underscore_is_rejected(registrations):
    message = rejected(registrations, {"registry-lab:repositoryId": "registry_lab"})

    assert message.startswith("registry-lab:repositoryId='registry_lab': must be 1-63 lowercase")


def test_repository_id_with_leading_digit_is_rejected(registrations):
    message = rejected(registrations, {"registry-lab:repositoryId": "1registry"})

    assert message.startswith("registry-lab:repositoryId='1registry': must be 1-63 lowercase")
    assert "starting with a letter" in message


def test_repository_id_with_leading_hyphen_is_rejected(registrations):
    message = rejected(registrations, {"registry-lab:repositoryId": "-registry"})

    assert message.startswith("registry-lab:repositoryId='-registry': must be 1-63 lowercase")


def test_repository_id_ending_with_hyphen_is_rejected(registrations):
    message = rejected(registrations, {"registry-lab:repositoryId": "registry-"})

    assert "not ending with a hyphen" in message


def test_repository_id_longer_than_63_is_rejected(registrations):
    too_long = "r" * 64
    message = rejected(registrations, {"registry-lab:repositoryId": too_long})

    assert message.startswith(f"registry-lab:repositoryId='{too_long}': must be 1-63 lowercase")


def test_repository_id_of_63_characters_is_accepted():
    longest = "r" * 62 + "1"
    chosen = settings(**{"gcp:project": "registry-lab-demo", "registry-lab:repositoryId": longest,
                         "registry-lab:operator": "user:ops@example.com"})

    assert chosen.repository_id == longest
    assert chosen.push_account_id == "r" * 25 + "-push"
    assert chosen.pull_only_account_id == "r" * 25 + "-pull"


def test_missing_project_is_rejected(registrations):
    message = rejected(registrations, removals=("gcp:project",))

    assert message.startswith("gcp:project=None: no project configured")
    assert message.endswith("(fix with: pulumi config set gcp:project <value> --stack gcp)")


def test_malformed_project_is_rejected(registrations):
    message = rejected(registrations, {"gcp:project": "My Project"})

    assert message.startswith("gcp:project='My Project': must be a Google Cloud project id")


def test_zero_untagged_days_is_rejected(registrations):
    message = rejected(registrations, {"registry-lab:cleanupUntaggedOlderThanDays": "0"})

    assert message.startswith(
        "registry-lab:cleanupUntaggedOlderThanDays='0': must be at least 1 and at most 3650"
    )


def test_negative_keep_count_is_rejected(registrations):
    message = rejected(registrations, {"registry-lab:cleanupKeepRecentVersions": "-2"})

    assert message.startswith(
        "registry-lab:cleanupKeepRecentVersions='-2': must be at least 1 and at most 10000"
    )


def test_operator_without_a_member_kind_is_rejected(registrations):
    message = rejected(registrations, {"registry-lab:operator": "ops@example.com"})

    assert message.startswith("registry-lab:operator='ops@example.com': must be an IAM member")
    assert "user:EMAIL, group:EMAIL or serviceAccount:EMAIL" in message


def test_operator_of_all_users_is_rejected(registrations):
    message = rejected(registrations, {"registry-lab:operator": "allUsers"})

    assert message.startswith("registry-lab:operator='allUsers': must be an IAM member")


@pytest.mark.parametrize("member", ["user:ops@example.com", "group:platform@example.com",
                                    "serviceAccount:ci@registry-lab-demo.iam.gserviceaccount.com"])
def test_operator_member_kinds_are_accepted(member):
    chosen = settings(**{"gcp:project": "registry-lab-demo", "registry-lab:operator": member})

    assert chosen.operator == member


def test_missing_operator_is_rejected_without_keys(registrations):
    message = rejected(registrations, removals=("registry-lab:operator",))

    assert message.startswith("registry-lab:operator=None: an operator is needed to impersonate")


def test_defaults_are_safe_without_optional_settings():
    chosen = settings(**{"gcp:project": "registry-lab-demo",
                         "registry-lab:operator": "user:ops@example.com"})

    assert (chosen.location, chosen.repository_id) == ("us-central1", "registry-lab")
    assert (chosen.untagged_older_than_days, chosen.keep_recent_versions) == (30, 10)
    assert chosen.create_service_account_keys is False
    assert chosen.cleanup_dry_run is False
