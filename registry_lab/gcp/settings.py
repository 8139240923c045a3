"""The GCP stack's settings, validated before any resource is registered."""

from dataclasses import dataclass
from typing import Optional

from registry_lab.config.reader import ConfigReader, full_match
from registry_lab.errors import ConfigError
from registry_lab.gcp.locations import LOCATIONS

PROJECT_KEY = "gcp:project"
PROJECT_PATTERN = r"[a-z][a-z0-9-]{4,28}[a-z0-9]"
PROJECT_RULE = (
    "must be a Google Cloud project id: 6-30 lowercase letters, digits or hyphens, "
    "starting with a letter and not ending with a hyphen"
)
NO_PROJECT_RULE = "no project configured; set the Google Cloud project id the registry lives in"

LOCATION_KEY = "location"
LOCATION_RULE = (
    "must be an Artifact Registry location: a region such as us-central1 or europe-west3, "
    "or a multi-region us, europe or asia (gcloud artifacts locations list)"
)

REPOSITORY_ID_KEY = "repositoryId"
REPOSITORY_ID_PATTERN = r"[a-z]([a-z0-9-]{0,61}[a-z0-9])?"
REPOSITORY_ID_RULE = (
    "must be 1-63 lowercase letters, digits or hyphens, starting with a letter and not "
    "ending with a hyphen (no uppercase, no underscore)"
)

OPERATOR_KEY = "operator"
OPERATOR_PATTERN = r"(user|group|serviceAccount):[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}"
OPERATOR_RULE = (
    "must be an IAM member that may impersonate the registry's service accounts: "
    "user:EMAIL, group:EMAIL or serviceAccount:EMAIL"
)
NO_OPERATOR_RULE = (
    "an operator is needed to impersonate the service accounts when "
    "createServiceAccountKeys is false; set a member such as user:ops@example.com"
)

# A service-account id is 6-30 characters; the repository id gives it a recognisable prefix.
ACCOUNT_ID_PREFIX_LENGTH = 25

DEFAULT_LOCATION = "us-central1"
DEFAULT_REPOSITORY_ID = "registry-lab"
DEFAULT_UNTAGGED_DAYS = 30
DEFAULT_KEEP_VERSIONS = 10
MAX_UNTAGGED_DAYS = 3650
# Artifact Registry holds keepCount in a 32-bit field and documents no lower limit; ten
# thousand versions is this project's choice, far past any lab and still a number the API takes.
MAX_KEEP_VERSIONS = 10_000

# Every registry-lab key read_settings reads (tests/unit/test_cloud_keys.py checks it).
KEYS = frozenset({
    LOCATION_KEY, REPOSITORY_ID_KEY, "cleanupUntaggedOlderThanDays",
    "cleanupKeepRecentVersions", "immutableTags", "cleanupDryRun", OPERATOR_KEY,
    "createServiceAccountKeys",
})

# Keys whose values the stack exports in plain, so they must not be secrets (see
# registry_lab/config/plain_keys.py); the operator may be one.
PLAIN_KEYS = {
    PROJECT_KEY: "part of the registry's address",
    f"registry-lab:{LOCATION_KEY}": "part of the registry's address",
    f"registry-lab:{REPOSITORY_ID_KEY}": "part of the registry's address",
}


@dataclass(frozen=True)
class GcpSettings:
    project: str
    location: str
    repository_id: str
    untagged_older_than_days: int
    keep_recent_versions: int
    immutable_tags: bool
    cleanup_dry_run: bool
    operator: Optional[str]
    create_service_account_keys: bool

    @property
    def registry_host(self) -> str:
        return f"{self.location}-docker.pkg.dev"

    @property
    def push_account_id(self) -> str:
        return _account_id(self.repository_id, "push")

    @property
    def pull_only_account_id(self) -> str:
        return _account_id(self.repository_id, "pull")


def read_settings(reader: ConfigReader) -> GcpSettings:
    """Every GCP setting, read and checked; the first broken rule raises a ConfigError."""
    project = reader.required_text(PROJECT_KEY, NO_PROJECT_RULE)
    if not full_match(PROJECT_PATTERN, project):
        raise ConfigError(PROJECT_KEY, project, PROJECT_RULE)

    location = reader.text(LOCATION_KEY, DEFAULT_LOCATION)
    if location not in LOCATIONS:
        raise ConfigError(f"registry-lab:{LOCATION_KEY}", location, LOCATION_RULE)

    repository_id = reader.matching(
        REPOSITORY_ID_KEY, REPOSITORY_ID_PATTERN, REPOSITORY_ID_RULE, DEFAULT_REPOSITORY_ID
    )

    untagged_days = reader.integer(
        "cleanupUntaggedOlderThanDays", DEFAULT_UNTAGGED_DAYS, minimum=1, maximum=MAX_UNTAGGED_DAYS
    )
    keep_versions = reader.integer(
        "cleanupKeepRecentVersions", DEFAULT_KEEP_VERSIONS, minimum=1, maximum=MAX_KEEP_VERSIONS
    )

    create_keys = reader.boolean("createServiceAccountKeys", False)
    operator = _operator(reader, create_keys)

    return GcpSettings(
        project=project,
        location=location,
        repository_id=repository_id,
        untagged_older_than_days=untagged_days,
        keep_recent_versions=keep_versions,
        immutable_tags=reader.boolean("immutableTags", False),
        cleanup_dry_run=reader.boolean("cleanupDryRun", False),
        operator=operator,
        create_service_account_keys=create_keys,
    )


def _operator(reader: ConfigReader, create_keys: bool) -> Optional[str]:
    """The member granted impersonation; only keys make it optional, as they replace it."""
    operator = reader.text(OPERATOR_KEY)
    if operator is None:
        if create_keys:
            return None
        raise ConfigError(f"registry-lab:{OPERATOR_KEY}", None, NO_OPERATOR_RULE)

    if not full_match(OPERATOR_PATTERN, operator):
        raise ConfigError(f"registry-lab:{OPERATOR_KEY}", operator, OPERATOR_RULE)
    return operator


def _account_id(repository_id: str, purpose: str) -> str:
    prefix = repository_id[:ACCOUNT_ID_PREFIX_LENGTH].rstrip("-")
    return f"{prefix}-{purpose}"
