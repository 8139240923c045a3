"""Every config error ends with the command that fixes it, for the stack that failed."""

import pytest

from registry_lab.errors import ConfigError
from tests.pulumi_harness import run_program
from tests.unit.aws_mocks import COMPUTED, INVOKES, run_aws


def test_the_hint_names_the_stack_that_failed():
    with pytest.raises(ConfigError) as error:
        run_aws(overrides={"registry-lab:untaggedImageDays": "0"})

    assert str(error.value).endswith(
        "(fix with: pulumi config set registry-lab:untaggedImageDays <value> --stack aws)"
    )


def test_a_list_setting_is_fixed_item_by_item_with_path():
    with pytest.raises(ConfigError) as error:
        run_aws(overrides={"registry-lab:taggedImagePrefixes": "[1, 2]"})

    assert str(error.value) == (
        "registry-lab:taggedImagePrefixes='[1, 2]': must be a list of strings (fix with: "
        "pulumi config set --path 'registry-lab:taggedImagePrefixes[0]' <value>, then [1] ...)"
    )


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
