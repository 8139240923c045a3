"""The AWS stack's settings, validated before any resource is registered."""

from dataclasses import dataclass

from registry_lab.config.reader import ConfigReader

REGION_PATTERN = r"[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d"
REGION_RULE = "must be an AWS region such as us-east-1 or eu-west-3"


@dataclass(frozen=True)
class AwsSettings:
    region: str
    repository_name: str


def read_settings(reader: ConfigReader) -> AwsSettings:
    return AwsSettings(
        region=reader.matching("aws:region", REGION_PATTERN, REGION_RULE),
        repository_name=reader.text("repositoryName", "registry-lab/demo"),
    )
