"""Every config error ends with the command that fixes it, for the stack that failed."""

import json

import pytest

from registry_lab.errors import ConfigError
from tests.pulumi_harness import run_program
from tests.unit.aws_mocks import COMPUTED, INVOKES, LIFECYCLE_POLICY, run_aws


def test_the_hint_names_the_stack_that_failed():
    with pytest.raises(ConfigError) as error:
        run_aws(overrides={"registry-lab:untaggedImageDays": "0"})

    assert str(error.value).endswith(
        "(fix with: pulumi config set registry-lab:untaggedImageDays <value> --stack aws)"
    )


@pytest.mark.parametrize("value", ["[1, 2]", "v,release-", "release-", '"release-"'])
def test_a_list_setting_is_fixed_item_by_item_with_path(value):
    # Plain text, with commas or without, is what `pulumi config set` without --path stores.
    with pytest.raises(ConfigError) as error:
        run_aws(overrides={"registry-lab:taggedImagePrefixes": value})

    assert str(error.value) == (
        f"registry-lab:taggedImagePrefixes={value!r}: must be a list of strings (fix with: "
        "pulumi config set --path 'registry-lab:taggedImagePrefixes[0]' <value>, then [1] ...)"
    )


def test_a_list_set_with_path_or_as_a_yaml_list_is_read():
    run = run_aws(overrides={"registry-lab:taggedImagePrefixes": '["v", "release-"]'})

    policy = json.loads(run.one(LIFECYCLE_POLICY).inputs["policy"])
    assert policy["rules"][1]["selection"]["tagPrefixList"] == ["v", "release-"]


def test_a_secret_settings_value_is_never_repeated_in_the_message():
    key_arn = "arn:aws:kms:eu-west-1:123456789012:alias/not-a-key-id"
    with pytest.raises(ConfigError) as error:
        run_program(
            "aws", invokes=INVOKES, computed=COMPUTED,
            overrides={"registry-lab:encryption": "KMS", "registry-lab:kmsKeyArn": key_arn},
            secret_keys=("registry-lab:kmsKeyArn",),
        )

    assert str(error.value).startswith("registry-lab:kmsKeyArn=[secret]: ")
    assert key_arn not in str(error.value)
