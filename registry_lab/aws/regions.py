"""The AWS regions an ECR repository can be declared in, with the partition of each.

Checked by name rather than by shape: ``us-central-1`` and ``xx-abc-9`` look like regions but
are not, and AWS would only say so once ``pulumi up`` had started. The lists are the regions of
the commercial (``aws``), GovCloud (``aws-us-gov``) and China (``aws-cn``) partitions as
botocore's ``partitions.json`` names them; a region AWS opens later is added to its partition's
tuple here (tests/unit/test_aws_regions.py compares the lists with botocore's).
"""

from typing import Optional

COMMERCIAL = (
    "af-south-1",
    "ap-east-1",
    "ap-east-2",
    "ap-northeast-1",
    "ap-northeast-2",
    "ap-northeast-3",
    "ap-south-1",
    "ap-south-2",
    "ap-southeast-1",
    "ap-southeast-2",
    "ap-southeast-3",
    "ap-southeast-4",
    "ap-southeast-5",
    "ap-southeast-6",
    "ap-southeast-7",
    "ca-central-1",
    "ca-west-1",
    "eu-central-1",
    "eu-central-2",
    "eu-north-1",
    "eu-south-1",
    "eu-south-2",
    "eu-west-1",
    "eu-west-2",
    "eu-west-3",
    "il-central-1",
    "me-central-1",
    "me-south-1",
    "me-west-1",
    "mx-central-1",
    "sa-east-1",
    "sa-west-1",
    "us-east-1",
    "us-east-2",
    "us-west-1",
    "us-west-2",
)

GOVCLOUD = (
    "us-gov-east-1",
    "us-gov-west-1",
)

CHINA = (
    "cn-north-1",
    "cn-northwest-1",
)

# The partition is the second field of every ARN in the region: arn:PARTITION:kms:REGION:...
PARTITIONS = {
    "aws": COMMERCIAL,
    "aws-us-gov": GOVCLOUD,
    "aws-cn": CHINA,
}

REGIONS = frozenset(COMMERCIAL + GOVCLOUD + CHINA)


def partition_of(region: str) -> Optional[str]:
    """The partition ``region`` belongs to, or None when it is not a known region."""
    for partition, regions in PARTITIONS.items():
        if region in regions:
            return partition
    return None
