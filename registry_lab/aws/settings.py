"""The AWS stack's settings, read and validated whole before any resource is registered.

Each setting's key, default and rule live here once; ``Pulumi.yaml`` declares the same keys
with the same defaults (a unit test keeps the two equal), so ``pulumi config`` and the
program never disagree about what an unset key means.
"""

import json
import re
from dataclasses import dataclass
from typing import Optional, Tuple

from registry_lab.aws.lifecycle import (
    LifecycleSettings, lifecycle_policy, lifecycle_policy_text, policy_problems,
)
from registry_lab.aws.policies import trust_policy
from registry_lab.aws.regions import REGIONS, partition_of
from registry_lab.config.reader import ConfigReader, full_match
from registry_lab.errors import ConfigError, part_of, quoted, set_command

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
    r"arn:(?P<partition>aws|aws-cn|aws-us-gov):iam::[0-9]{12}:"
    r"(?:root|(?:user|role)(?P<path>/[A-Za-z0-9_+=,.@/-]*/|/)(?P<name>[A-Za-z0-9_+=,.@-]*))"
)
PRINCIPAL_RULE = (
    "an IAM principal ARN such as arn:aws:iam::123456789012:root or "
    "arn:aws:iam::123456789012:role/ci"
)
# IAM's own limits on a role or user: a name of 1-64 characters after a path of at most 512.
IAM_NAME_MAX = 64
IAM_PATH_MAX = 512
# IAM's default quota on a role's trust policy, counted without whitespace; an account can
# ask for more (up to 4,096), but a stack cannot know it has, so the default is the rule.
TRUST_POLICY_MAX = 2048

TAG_PREFIX_PATTERN = r"[A-Za-z0-9_][A-Za-z0-9_.-]*"
TAG_PREFIX_RULE = (
    "a tag prefix: letters, digits, '_', '.', '-', starting with a letter, digit or '_'"
)
# A tag, and so a prefix of one, is at most 128 characters.
TAG_PREFIX_MAX = 128
# ECR bounds the policy text (botocore's LifecyclePolicyText: at most 30,720 characters), not
# the number of prefixes; 200 is this project's bound on the list, far past what a lab needs.
MAX_TAG_PREFIXES = 200
LIFECYCLE_POLICY_MAX = 30_720

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

# Keys whose values the stack exports in plain, so they must not be secrets (see
# registry_lab/config/plain_keys.py). kmsKeyArn, the principals and the tag prefixes may be:
# tests/unit/test_config_secrets.py checks that no plain export carries them.
PLAIN_KEYS = {
    REGION_KEY: "part of the registry's address",
    "registry-lab:repositoryName": "part of the registry's address",
}


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
    _check_policy_length(lifecycle)

    return AwsSettings(
        region=region,
        repository_name=repository_name,
        image_tag_mutability=mutability,
        encryption=encryption,
        kms_key_arn=kms_key_arn,
        scan_on_push=reader.boolean("scanOnPush", DEFAULTS["scanOnPush"]),
        force_delete=reader.boolean("forceDelete", DEFAULTS["forceDelete"]),
        lifecycle=lifecycle,
        pull_only_principals=tuple(_principals(reader, region)),
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

    # The key's parts and the region are quoted only where their settings are not secrets.
    partition = partition_of(region)
    shown_region = part_of(REGION_KEY, region)
    if parts["partition"] != partition:
        raise ConfigError(
            KMS_KEY_KEY, key,
            f"is a key of partition {part_of(KMS_KEY_KEY, parts['partition'])}, but "
            f"{REGION_KEY} {shown_region} is in partition {part_of(REGION_KEY, partition)}; "
            "ECR needs a key in the repository's own region",
        )
    if parts["region"] != region:
        raise ConfigError(
            KMS_KEY_KEY, key,
            f"is a key in region {part_of(KMS_KEY_KEY, parts['region'])}, but the repository "
            f"is in {REGION_KEY} {shown_region}; ECR needs a key in the repository's own region",
        )


def _tag_prefixes(reader: ConfigReader) -> list:
    return _list_of(reader, "taggedImagePrefixes", MAX_TAG_PREFIXES, _tag_prefix_problem)


def _tag_prefix_problem(prefix: str) -> Optional[str]:
    # A tag starts with a letter, digit or underscore and holds no '*' in a prefix rule.
    if len(prefix) > TAG_PREFIX_MAX:
        return f"is longer than a tag may be ({TAG_PREFIX_MAX} characters)"
    if not full_match(TAG_PREFIX_PATTERN, prefix):
        return f"is not {TAG_PREFIX_RULE}"
    return None


def _check_policy_length(lifecycle: LifecycleSettings) -> None:
    """Many long prefixes make a policy text longer than ECR takes; only the prefixes grow it."""
    length = len(lifecycle_policy_text(lifecycle))
    if length > LIFECYCLE_POLICY_MAX:
        key = "registry-lab:taggedImagePrefixes"
        raise ConfigError(
            key, list(lifecycle.tagged_image_prefixes),
            f"makes the lifecycle policy {length:,} characters long, over ECR's limit of "
            f"{LIFECYCLE_POLICY_MAX:,}; use fewer or shorter prefixes",
        )


def _principals(reader: ConfigReader, region: str) -> list:
    partition = partition_of(region)
    principals = _list_of(
        reader, "pullOnlyPrincipals", None,
        lambda principal: _principal_problem(principal, partition, region),
    )

    # IAM counts a policy's characters without its whitespace.
    trust = json.dumps(trust_policy(principals), separators=(",", ":"))
    if principals and len(trust) > TRUST_POLICY_MAX:
        raise ConfigError(
            "registry-lab:pullOnlyPrincipals", principals,
            f"make the pull-only role's trust policy {len(trust):,} characters long, over "
            f"IAM's default limit of {TRUST_POLICY_MAX:,}; name fewer principals",
        )
    return principals


def _principal_problem(principal: str, partition: str, region: str) -> Optional[str]:
    """What keeps ``principal`` from being trusted by a role in ``region``, or None."""
    parts = re.fullmatch(PRINCIPAL_PATTERN, principal, re.ASCII)
    if parts is None:
        return f"is not {PRINCIPAL_RULE}"
    if parts["partition"] != partition:
        return (
            f"is not in the partition of {REGION_KEY} {part_of(REGION_KEY, region)} "
            f"({part_of(REGION_KEY, partition)}), so IAM would refuse it in the trust policy"
        )
    if parts["name"] is None:
        return None
    if not parts["name"]:
        return "ends with '/': the role or user name must follow the last '/'"
    if "//" in parts["path"]:
        return "has an empty path segment ('//')"
    if len(parts["path"]) > IAM_PATH_MAX:
        return f"has a path longer than IAM's {IAM_PATH_MAX} characters"
    if len(parts["name"]) > IAM_NAME_MAX:
        return f"has a role or user name longer than IAM's {IAM_NAME_MAX} characters"
    return None


def _list_of(reader: ConfigReader, key: str, most: Optional[int], problem) -> list:
    """A list setting of at most ``most`` items, each checked by ``problem`` (None: fine).

    The error names the bad item by its position, and quotes it only when the setting is not
    a secret.
    """
    full_key = f"registry-lab:{key}"
    items = reader.text_list(key, DEFAULTS[key])
    if most is not None and len(items) > most:
        # Shortening a list is done in the stack file; `config set` can only replace items.
        fix = f"edit the list under {full_key} in stacks/Pulumi.<stack>.yaml"
        raise ConfigError(full_key, items, f"has {len(items)} items; at most {most} are allowed",
                          fix)

    for index, item in enumerate(items):
        found = problem(item)
        if found is not None:
            fix = set_command(full_key, path=f"{full_key}[{index}]")
            raise ConfigError(full_key, items, f"item [{index}] {quoted(full_key, item)} {found}",
                              fix)
    return items
