"""Bad AWS settings stop the program with one line naming key, value and rule.

Each run watches every registration, to prove the error comes before any resource exists.
"""

import pytest

from registry_lab.aws.settings import REGION_RULE, REPOSITORY_NAME_RULE
from registry_lab.errors import ConfigError, echo
from tests.unit.aws_mocks import COMPUTED, REPOSITORY, run_aws

KMS_KEY = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"


class RegistrationWatch(dict):
    """The mocks look up every registered type here; the watch remembers each one."""

    def __init__(self):
        super().__init__(COMPUTED)
        self.registered = []

    def get(self, type_, default=None):
        self.registered.append(type_)
        return super().get(type_, default)


MAXIMA = {"untaggedImageDays": 3650, "taggedImagesToKeep": 100000}


def refused(overrides=None, removals=()) -> str:
    """Run with bad settings; the error's message, after checking nothing was registered."""
    watch = RegistrationWatch()
    with pytest.raises(ConfigError) as error:
        run_aws(overrides=overrides, removals=removals, computed=watch)
    assert watch.registered == [], f"registered before the error: {watch.registered}"
    return str(error.value)


@pytest.mark.parametrize("name", ["Lab_App", "Org/app", "lab--app", "-app", "app/", "a"])
def test_repository_name_outside_ecrs_rule_is_refused(name):
    message = refused({"registry-lab:repositoryName": name})

    assert message == (
        f"registry-lab:repositoryName={name!r}: {REPOSITORY_NAME_RULE}"
        " (fix with: pulumi config set registry-lab:repositoryName <value> --stack aws)"
    )


def test_repository_name_longer_than_256_characters_is_refused():
    name = "lab/" + "a" * 253

    assert refused({"registry-lab:repositoryName": name}).startswith(
        f"registry-lab:repositoryName={echo(name)}: must be 2-256 characters"
    )


@pytest.mark.parametrize("name", ["lab-app", "team/lab-app", "a.b_c-d/e2", "ab"])
def test_repository_names_within_ecrs_rule_are_used(name):
    run = run_aws(overrides={"registry-lab:repositoryName": name})

    assert run.one(REPOSITORY).inputs["name"] == name


@pytest.mark.parametrize("region", ["eu-west", "EU-WEST-1", "euwest1", "eu-west-1a"])
def test_malformed_region_is_refused(region):
    assert refused({"aws:region": region}) == (
        f"aws:region={region!r}: {REGION_RULE}"
        " (fix with: pulumi config set aws:region <value> --stack aws)"
    )


def test_missing_region_is_refused():
    assert refused(removals=("aws:region",)).startswith(
        "aws:region is not set: must be an AWS region"
    )


@pytest.mark.parametrize("key", ["untaggedImageDays", "taggedImagesToKeep"])
@pytest.mark.parametrize("number", [0, -5])
def test_non_positive_lifecycle_number_is_refused(key, number):
    assert refused({f"registry-lab:{key}": number}) == (
        f"registry-lab:{key}='{number}': must be at least 1 and at most {MAXIMA[key]}"
        f" (fix with: pulumi config set registry-lab:{key} <value> --stack aws)"
    )


def test_lifecycle_number_that_is_not_a_number_is_refused():
    assert refused({"registry-lab:untaggedImageDays": "two weeks"}).startswith(
        "registry-lab:untaggedImageDays='two weeks': must be a whole number"
    )


def test_unknown_cloud_is_refused():
    assert refused({"registry-lab:cloud": "azure"}).startswith(
        "registry-lab:cloud='azure': must be one of aws"
    )


def test_kms_encryption_without_a_key_is_refused():
    assert refused({"registry-lab:encryption": "KMS"}) == (
        "registry-lab:kmsKeyArn is not set: encryption KMS needs the ARN of a KMS key"
        " (arn:aws:kms:REGION:ACCOUNT:key/ID)"
        " (fix with: pulumi config set registry-lab:kmsKeyArn <value> --stack aws)"
    )


def test_kms_key_that_is_not_a_key_arn_is_refused():
    message = refused({"registry-lab:encryption": "KMS", "registry-lab:kmsKeyArn": "my-key"})

    assert message.startswith("registry-lab:kmsKeyArn='my-key': must be a KMS key ARN")


def test_kms_key_with_aes256_encryption_is_refused():
    message = refused({"registry-lab:kmsKeyArn": KMS_KEY})

    assert message.startswith(
        f"registry-lab:kmsKeyArn={KMS_KEY!r}: is used only with encryption KMS"
    )


def test_unknown_encryption_is_refused():
    assert refused({"registry-lab:encryption": "aws:kms"}).startswith(
        "registry-lab:encryption='aws:kms': must be one of AES256, KMS"
    )


def test_unknown_tag_mutability_is_refused():
    assert refused({"registry-lab:imageTagMutability": "mutable"}).startswith(
        "registry-lab:imageTagMutability='mutable': must be one of MUTABLE, IMMUTABLE"
    )


def test_principal_that_is_not_an_iam_arn_is_refused():
    message = refused({"registry-lab:pullOnlyPrincipals": ["123456789012"]})

    assert message.startswith(
        "registry-lab:pullOnlyPrincipals=['123456789012']:"
        " item [0] '123456789012' is not an IAM principal ARN"
    )


def test_tag_prefix_with_a_wildcard_is_refused():
    message = refused({"registry-lab:taggedImagePrefixes": ["v*"]})

    assert message.startswith(
        "registry-lab:taggedImagePrefixes=['v*']: item [0] 'v*' is not a tag prefix"
    )


def test_pull_only_user_that_is_not_a_boolean_is_refused():
    assert refused({"registry-lab:pullOnlyUser": "sometimes"}).startswith(
        "registry-lab:pullOnlyUser='sometimes': must be true or false"
    )


def test_the_watch_sees_every_registration_of_a_good_run():
    watch = RegistrationWatch()
    run = run_aws(computed=watch)

    assert sorted(watch.registered) == sorted(resource.type for resource in run.resources)
