"""The AWS stack's settings, read and validated whole before any resource is registered.

Each setting's key, default and rule live here once; ``Pulumi.yaml`` declares the same keys
with the same defaults (a unit test keeps the two equal), so ``pulumi config`` and the
program never disagree about what an unset key means.
"""

import re
from dataclasses import dataclass
from typing import Optional, Tuple

from registry_lab.aws.lifecycle import LifecycleSettings, lifecycle_policy, policy_problems
from registry_lab.aws.regions import REGIONS, partition_of
from registry_lab.config.reader import ConfigReader, full_match
from registry_lab.errors import ConfigError, echo

REGION_KEY = "aws:region"
REGION_RULE = (
    "must be an AWS region such as us-east-1 or eu-west-3 "
    "(commercial, GovCloud or China; the list is registry_lab/aws/regions.py)"
)

# ECR's own rule: lowercase segments of letters and digits joined by one '.', '_' or '-',
# optionally namespaced by '/', 2 to 256 characters in all.
_SEGMENT = r"[a-z0-9]+(?:[._-][a-z0-9]+)*"
REPOSITORY_NAME_PATTERN = rf"(?=.{{2,256}}\Z)(?:{_SEGMENT}/)*{_SEGMENT}"
REPOSITORY_NAME_RULE = (
    "must be 2-256 characters: lowercase segments of letters and digits joined by a single "
    "'.', '_' or '-', optionally namespaced with '/' (e.g. lab-app, team/lab-app)"
)

KMS_KEY_KEY = "registry-lab:kmsKeyArn"
# A key ARN: partition, region, 12-digit account, and a key id that is a UUID or, for a
# multi-Region key, mrk- and 32 hex digits. Aliases are not accepted: ECR wants the key itself.
KMS_KEY_PATTERN = (
    r"arn:(?P<partition>aws|aws-cn|aws-us-gov):kms:(?P<region>[a-z0-9-]+):[0-9]{12}:key/"
    r"(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|mrk-[0-9a-f]{32})"
)
KMS_KEY_RULE = (
    "must be a KMS key ARN such as arn:aws:kms:eu-west-1:123456789012:key/ID "
    "(partition aws, aws-cn or aws-us-gov; a 12-digit account; a key id that is a UUID "
    "or mrk- and 32 hex digits)"
)
PRINCIPAL_PATTERN = (
    r"arn:aws(-cn|-us-gov)?:iam::[0-9]{12}:(root|(user|role)/[A-Za-z0-9_+=,.@/-]+)"
)

# ECR documents no maximum for a lifecycle rule's countNumber, but a value past what its API
# takes fails only in the middle of `pulumi up`. Ten years of days is this project's choice;
# the image count stops at ECR's default quota of 100,000 images per repository, since a rule
# keeping more than a repository holds would never expire anything.
MAX_UNTAGGED_IMAGE_DAYS = 3650
MAX_TAGGED_IMAGES_TO_KEEP = 100_000

TAG_MUTABILITY_CHOICES = ("MUTABLE", "IMMUTABLE")
ENCRYPTION_CHOICES = ("AES256", "KMS")

# Defaults, one per key; Pulumi.yaml repeats them and tests/unit/test_aws_config_declared.py
# checks that it does.
DEFAULTS = {
    "repositoryName": "registry-lab/demo",
    # MUTABLE because the lab pushes demo:v1 again on every run, and a re-encoding client
    # gives the same tag a new manifest digest; production repositories should choose
    # IMMUTABLE.
    "imageTagMutability": "MUTABLE",
    "encryption": "AES256",
    "scanOnPush": True,
    # On, so that tearing the lab down works while images are still inside.
    "forceDelete": True,
    "untaggedImageDays": 14,
    "taggedImagesToKeep": 30,
    "taggedImagePrefixes": [],
    "pullOnlyPrincipals": [],
    "pullOnlyUser": False,
}

# Every registry-lab key read_settings reads; refuse_other_clouds_keys lets the stack set these
# and no other cloud's. tests/unit/test_cloud_keys.py checks it against what is really read.
KEYS = frozenset({
    "repositoryName", "imageTagMutability", "encryption", "kmsKeyArn", "scanOnPush",
    "forceDelete", "untaggedImageDays", "taggedImagesToKeep", "taggedImagePrefixes",
    "pullOnlyPrincipals", "pullOnlyUser",
})


@dataclass(frozen=True)
class AwsSettings:
    """Everything the AWS registry component needs, already validated."""

    region: str
    repository_name: str
    image_tag_mutability: str
    encryption: str
    kms_key_arn: Optional[str]
    scan_on_push: bool
    force_delete: bool
    lifecycle: LifecycleSettings
    pull_only_principals: Tuple[str, ...]
    pull_only_user: bool


def read_settings(reader: ConfigReader) -> AwsSettings:
    """Read and validate every AWS setting; the first broken rule raises ``ConfigError``."""
    region = reader.text(REGION_KEY)
    if region not in REGIONS:
        raise ConfigError(REGION_KEY, region, REGION_RULE)

    repository_name = reader.matching(
        "repositoryName", REPOSITORY_NAME_PATTERN, REPOSITORY_NAME_RULE,
        default=DEFAULTS["repositoryName"],
    )
    mutability = reader.choice(
        "imageTagMutability", TAG_MUTABILITY_CHOICES, DEFAULTS["imageTagMutability"]
    )

    encryption = reader.choice("encryption", ENCRYPTION_CHOICES, DEFAULTS["encryption"])
    kms_key_arn = _kms_key(reader, encryption, region)

    lifecycle = LifecycleSettings(
        untagged_image_days=reader.integer(
            "untaggedImageDays", DEFAULTS["untaggedImageDays"],
            minimum=1, maximum=MAX_UNTAGGED_IMAGE_DAYS,
        ),
        tagged_images_to_keep=reader.integer(
            "taggedImagesToKeep", DEFAULTS["taggedImagesToKeep"],
            minimum=1, maximum=MAX_TAGGED_IMAGES_TO_KEEP,
        ),
        tagged_image_prefixes=tuple(_tag_prefixes(reader)),
    )
    # The component builds the same document again from ``lifecycle``; checked here, before
    # any resource, so a broken rule stops the run while nothing is registered.
    problems = policy_problems(lifecycle_policy(lifecycle))
    if problems:
        # The builder only emits valid rules from valid settings; reaching this is a bug.
        raise ValueError("the lifecycle policy ECR would reject: " + "; ".join(problems))

    return AwsSettings(
        region=region,
        repository_name=repository_name,
        image_tag_mutability=mutability,
        encryption=encryption,
        kms_key_arn=kms_key_arn,
        scan_on_push=reader.boolean("scanOnPush", DEFAULTS["scanOnPush"]),
        force_delete=reader.boolean("forceDelete", DEFAULTS["forceDelete"]),
        lifecycle=lifecycle,
        pull_only_principals=tuple(_principals(reader)),
        pull_only_user=reader.boolean("pullOnlyUser", DEFAULTS["pullOnlyUser"]),
    )


def _kms_key(reader: ConfigReader, encryption: str, region: str) -> Optional[str]:
    key = reader.text("kmsKeyArn")
    if encryption == "KMS" and key is None:
        raise ConfigError(
            KMS_KEY_KEY, None,
            "encryption KMS needs the ARN of a KMS key (arn:aws:kms:REGION:ACCOUNT:key/ID)",
        )
    if encryption == "AES256" and key is not None:
        raise ConfigError(
            KMS_KEY_KEY, key,
            "is used only with encryption KMS; set registry-lab:encryption to KMS or remove it",
        )
    if key is not None:
        _check_kms_key_region(key, region)
    return key


def _check_kms_key_region(key: str, region: str) -> None:
    """ECR encrypts only with a key of the repository's own region, and so its partition."""
    parts = re.fullmatch(KMS_KEY_PATTERN, key, re.ASCII)
    if parts is None:
        raise ConfigError(KMS_KEY_KEY, key, KMS_KEY_RULE)

    partition = partition_of(region)
    if parts["partition"] != partition:
        raise ConfigError(
            KMS_KEY_KEY, key,
            f"is a key of partition {parts['partition']}, but {REGION_KEY} {region} is in "
            f"partition {partition}; ECR needs a key in the repository's own region",
        )
    if parts["region"] != region:
        raise ConfigError(
            KMS_KEY_KEY, key,
            f"is a key in region {parts['region']}, but the repository is in {REGION_KEY} "
            f"{region}; ECR needs a key in the repository's own region",
        )


def _tag_prefixes(reader: ConfigReader) -> list:
    # A tag starts with a letter, digit or underscore and holds no '*' in a prefix rule.
    return _list_of(
        reader, "taggedImagePrefixes", r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}",
        "a tag prefix: letters, digits, '_', '.', '-', starting with a letter, digit or '_'",
    )


def _principals(reader: ConfigReader) -> list:
    return _list_of(
        reader, "pullOnlyPrincipals", PRINCIPAL_PATTERN,
        "an IAM principal ARN such as arn:aws:iam::123456789012:root or "
        "arn:aws:iam::123456789012:role/ci",
    )


def _list_of(reader: ConfigReader, key: str, pattern: str, what: str) -> list:
    """A list setting whose every item matches ``pattern``; the error names the bad item."""
    items = reader.text_list(key, DEFAULTS[key])
    for item in items:
        if not full_match(pattern, item):
            raise ConfigError(f"registry-lab:{key}", items, f"{echo(item)} is not {what}")
    return items
