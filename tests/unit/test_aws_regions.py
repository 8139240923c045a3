"""aws:region must be a real AWS region, and a KMS key must live in that region."""

import json
from pathlib import Path

import botocore
import pytest

from registry_lab.aws import regions
from registry_lab.aws.settings import KMS_KEY_RULE, REGION_RULE, read_settings
from registry_lab.config.reader import ConfigReader
from tests.unit.aws_mocks import REPOSITORY
from tests.unit.stack_runs import refused, run_stack

ACCOUNT = "123456789012"
KEY_ID = "1234abcd-12ab-34cd-56ef-1234567890ab"


def kms_key(region="eu-west-1", partition="aws", account=ACCOUNT, key_id=KEY_ID):
    return f"arn:{partition}:kms:{region}:{account}:key/{key_id}"


def with_kms(key, region=None):
    overrides = {"registry-lab:encryption": "KMS", "registry-lab:kmsKeyArn": key}
    if region is not None:
        overrides["aws:region"] = region
    return overrides


# Regions

@pytest.mark.parametrize("region", ["us-central-1", "xx-abc-9", "eu-west-9", "us-gov-central-1",
                                    "cn-south-1", "eu-west-١"])
def test_a_region_shaped_name_that_is_no_region_is_refused(region):
    assert refused("aws", {"aws:region": region}) == (
        f"aws:region={region!r}: {REGION_RULE}"
        " (fix with: pulumi config set aws:region <value> --stack aws)"
    )


@pytest.mark.parametrize("region", ["us-east-1", "ap-southeast-7", "mx-central-1",
                                    "us-gov-west-1", "cn-northwest-1"])
def test_real_regions_of_every_partition_are_accepted(region):
    settings = read_settings(ConfigReader({"aws:region": region}.get))

    assert settings.region == region


def test_a_stack_in_another_region_builds_its_repository():
    run = run_stack("aws", {"aws:region": "ap-south-2"})

    assert run.one(REPOSITORY).inputs["name"] == "registry-lab/demo"


def test_the_region_lists_match_botocores_partitions():
    # botocore comes with boto3; its partitions.json is AWS's own list of regions.
    data = Path(botocore.__file__).parent / "data" / "partitions.json"
    partitions = {
        partition["id"]: {name for name in partition["regions"] if not name.endswith("-global")}
        for partition in json.loads(data.read_text())["partitions"]
    }

    for partition, names in regions.PARTITIONS.items():
        assert set(names) == partitions[partition], partition


def test_each_region_knows_its_partition():
    assert regions.partition_of("eu-west-1") == "aws"
    assert regions.partition_of("us-gov-east-1") == "aws-us-gov"
    assert regions.partition_of("cn-north-1") == "aws-cn"
    assert regions.partition_of("us-central-1") is None


# KMS keys

def test_a_kms_key_of_another_region_is_refused():
    key = kms_key(region="us-east-1")

    assert refused("aws", with_kms(key)) == (
        f"registry-lab:kmsKeyArn={key!r}: is a key in region us-east-1, but the repository is "
        "in aws:region eu-west-1; ECR needs a key in the repository's own region"
        " (fix with: pulumi config set registry-lab:kmsKeyArn <value> --stack aws)"
    )


def test_a_kms_key_of_another_partition_is_refused():
    key = kms_key(region="cn-north-1", partition="aws-cn")

    message = refused("aws", with_kms(key))

    assert message.startswith(
        f"registry-lab:kmsKeyArn={key!r}: is a key of partition aws-cn, but aws:region "
        "eu-west-1 is in partition aws;"
    )


@pytest.mark.parametrize("region, partition", [
    ("us-gov-west-1", "aws-us-gov"), ("cn-north-1", "aws-cn"), ("eu-west-1", "aws"),
])
def test_a_kms_key_of_the_repositorys_region_and_partition_is_used(region, partition):
    key = kms_key(region=region, partition=partition)

    run = run_stack("aws", with_kms(key, region))

    assert run.one(REPOSITORY).inputs["encryptionConfigurations"] == [
        {"encryptionType": "KMS", "kmsKey": key}
    ]


def test_a_multi_region_kms_key_is_used():
    key = kms_key(key_id="mrk-" + "0123456789abcdef" * 2)

    run = run_stack("aws", with_kms(key))

    assert run.one(REPOSITORY).inputs["encryptionConfigurations"][0]["kmsKey"] == key


@pytest.mark.parametrize("key", [
    kms_key(account="١٢٣٤٥٦٧٨٩٠١٢"),                   # account in Arabic-Indic digits
    kms_key(account="12345678901"),                     # 11 digits
    kms_key(partition="aws-eu"),                        # no such partition
    kms_key(key_id="1234abcd-12ab-34cd-56ef-1234567890aß"),
    kms_key(key_id="my-key"),                           # not a key id
    f"arn:aws:kms:eu-west-1:{ACCOUNT}:alias/registry",  # an alias, not the key
])
def test_a_kms_key_arn_of_the_wrong_shape_is_refused(key):
    assert refused("aws", with_kms(key)).startswith(
        f"registry-lab:kmsKeyArn={key!r}: {KMS_KEY_RULE} (fix with:"
    )
