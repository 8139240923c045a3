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
        "pulumi config set --path 'registry-lab:taggedImagePrefixes[0]' <value> --stack aws, "
        "then [1] ...)"
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


def test_a_key_with_a_newline_is_named_on_one_line():
    with pytest.raises(ConfigError) as error:
        run_aws(overrides={"registry-lab:repository\nName": "lab\napp"})

    assert str(error.value) == (
        "registry-lab:repository\\nName='lab\\napp': is not a setting of this project "
        "(Pulumi.yaml declares every one); did you mean registry-lab:repositoryName? "
        "(fix with: pulumi config rm registry-lab:repository\\nName --stack aws, "
        "then pulumi config set registry-lab:repositoryName <value> --stack aws)"
    )


def test_the_hint_for_a_secret_setting_keeps_it_secret():
    # Without --secret, following the hint would store the new value in plain text.
    with pytest.raises(ConfigError) as error:
        run_program(
            "aws", invokes=INVOKES, computed=COMPUTED,
            overrides={"registry-lab:encryption": "KMS", "registry-lab:kmsKeyArn": "not-an-arn"},
            secret_keys=("registry-lab:kmsKeyArn",),
        )

    assert str(error.value).endswith(
        "(fix with: pulumi config set registry-lab:kmsKeyArn <value> --secret --stack aws)"
    )


def test_the_list_hint_for_a_secret_list_keeps_it_secret_on_its_stack():
    with pytest.raises(ConfigError) as error:
        run_program(
            "aws", invokes=INVOKES, computed=COMPUTED,
            overrides={"registry-lab:pullOnlyPrincipals": "arn:aws:iam::123456789012:root"},
            secret_keys=("registry-lab:pullOnlyPrincipals",),
        )

    assert str(error.value) == (
        "registry-lab:pullOnlyPrincipals=[secret]: must be a list of strings (fix with: "
        "pulumi config set --path 'registry-lab:pullOnlyPrincipals[0]' <value> --secret "
        "--stack aws, then [1] ...)"
    )


def test_the_hint_for_a_misspelt_secret_key_sets_the_right_one_as_a_secret():
    with pytest.raises(ConfigError) as error:
        run_program(
            "aws", invokes=INVOKES, computed=COMPUTED,
            overrides={"registry-lab:kmsKeyarn": "hidden"},
            secret_keys=("registry-lab:kmsKeyarn",),
        )

    assert str(error.value).endswith(
        "then pulumi config set registry-lab:kmsKeyArn <value> --secret --stack aws)"
    )
