"""A secret setting's value never reaches a message or a plain export.

A rule that quotes a value quotes it as [secret] when the stack holds its key as a secret; a
key whose value the stack exports in plain (part of the registry's address) may not be a secret
at all, and is refused before anything else is read.
"""

import json

import pytest
from pulumi.runtime.config import set_all_config

from registry_lab import aws, digitalocean, gcp
from registry_lab.aws.settings import read_settings as read_aws_settings
from registry_lab.config.reader import ConfigReader
from registry_lab.digitalocean.settings import read_settings as read_digitalocean_settings
from registry_lab.errors import ConfigError
from tests.pulumi_harness import ROOT, _reset_runtime, stack_config
from tests.unit.stack_runs import refused, run_stack

KMS_KEY_ARN = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
PLAIN_KEYS = {
    "aws": aws.PLAIN_KEYS, "gcp": gcp.PLAIN_KEYS, "digitalocean": digitalocean.PLAIN_KEYS,
}


def plain_exports(run) -> str:
    """Every export that is not a secret, as one text to search."""
    plain = {key: value for key, value in run.outputs.items() if key not in run.secret_outputs}
    return json.dumps(plain)


def read_with_secrets(read_settings, config, secret_keys):
    """``read_settings`` over ``config`` while the engine holds ``secret_keys`` as secrets."""
    _reset_runtime()
    try:
        set_all_config(config, list(secret_keys))
        with pytest.raises(ConfigError) as error:
            read_settings(ConfigReader(config.get))
    finally:
        _reset_runtime()
    return str(error.value)


# Secret values quoted inside a rule

def test_a_secret_tag_prefix_is_not_quoted_in_the_rule():
    key = "registry-lab:taggedImagePrefixes"

    message = refused("aws", {key: ["v", "bad*secretprefix"]}, secret_keys=(key,))

    assert message == (
        "registry-lab:taggedImagePrefixes=[secret]: item [1] [secret] is not a tag prefix: "
        "letters, digits, '_', '.', '-', starting with a letter, digit or '_' (fix with: "
        "pulumi config set --path 'registry-lab:taggedImagePrefixes[1]' <value> --secret "
        "--stack aws)"
    )


def test_a_secret_principal_is_not_quoted_in_the_rule():
    key = "registry-lab:pullOnlyPrincipals"

    message = refused("aws", {key: ["secret-principal-123"]}, secret_keys=(key,))

    assert message.startswith(
        "registry-lab:pullOnlyPrincipals=[secret]: item [0] [secret] is not an IAM principal ARN"
    )
    assert "secret-principal" not in message


def test_a_secret_principal_of_another_partition_is_not_quoted_in_the_rule():
    key = "registry-lab:pullOnlyPrincipals"
    principal = "arn:aws-cn:iam::123456789012:role/hidden-ci"

    message = refused("aws", {key: [principal]}, secret_keys=(key,))

    assert message.startswith(
        "registry-lab:pullOnlyPrincipals=[secret]: item [0] [secret] is not in the partition "
        "of aws:region eu-west-1 (aws)"
    )
    assert "hidden-ci" not in message and "aws-cn" not in message


def test_a_secret_registry_to_adopt_is_not_quoted_in_the_name_conflict():
    existing_key = "registry-lab:existingRegistry"
    config = {"registry-lab:registryName": "lab-one", existing_key: "hidden-registry"}

    message = read_with_secrets(read_digitalocean_settings, config, (existing_key,))

    assert message.startswith(
        "registry-lab:registryName='lab-one': names a registry to create while "
        "registry-lab:existingRegistry adopts [secret]; an account holds one registry"
    )
    assert "hidden-registry" not in message


def test_a_secret_region_is_not_quoted_in_the_kms_key_region_rule():
    config = {
        "aws:region": "eu-central-1",
        "registry-lab:encryption": "KMS",
        "registry-lab:kmsKeyArn": KMS_KEY_ARN,
    }

    message = read_with_secrets(read_aws_settings, config, ("aws:region",))

    assert message.startswith(
        f"registry-lab:kmsKeyArn={KMS_KEY_ARN!r}: is a key in region eu-west-1, but the "
        "repository is in aws:region [secret]; ECR needs a key in the repository's own region"
    )
    assert "eu-central-1" not in message


def test_a_secret_kms_keys_region_is_not_quoted_in_the_region_rule():
    config = {
        "aws:region": "eu-central-1",
        "registry-lab:encryption": "KMS",
        "registry-lab:kmsKeyArn": KMS_KEY_ARN,
    }

    message = read_with_secrets(read_aws_settings, config, ("registry-lab:kmsKeyArn",))

    assert message.startswith(
        "registry-lab:kmsKeyArn=[secret]: is a key in region [secret], but the repository is "
        "in aws:region eu-central-1;"
    )
    assert "eu-west-1" not in message


# Keys exported in plain may not be secrets

PLAIN_KEY_CASES = [
    ("aws", "registry-lab:repositoryName", {}, ()),
    ("aws", "aws:region", {}, ()),
    ("aws", "registry-lab:cloud", {}, ()),
    ("gcp", "gcp:project", {}, ()),
    ("gcp", "registry-lab:repositoryId", {}, ()),
    ("gcp", "registry-lab:location", {}, ()),
    ("digitalocean", "registry-lab:registryName", {}, ()),
    ("digitalocean", "registry-lab:registryRegion", {}, ()),
    ("digitalocean", "registry-lab:registryTier", {}, ()),
    ("digitalocean", "registry-lab:pushCredentialsExpirySeconds", {}, ()),
    ("digitalocean", "registry-lab:pullOnlyCredentialsExpirySeconds", {}, ()),
    (
        "digitalocean", "registry-lab:existingRegistry",
        {"registry-lab:existingRegistry": "team-registry"}, ("registry-lab:registryName",),
    ),
]


@pytest.mark.parametrize("stack, key, overrides, removals", PLAIN_KEY_CASES)
def test_a_key_exported_in_plain_is_refused_as_a_secret(stack, key, overrides, removals):
    message = refused(stack, overrides, removals, secret_keys=(key,))

    what = "the contract's cloud" if key == "registry-lab:cloud" else (
        PLAIN_KEYS[stack][key]
    )
    assert message == (
        f"{key}=[secret]: must not be a secret: it is {what}, exported in plain "
        f"(fix with: pulumi config set {key} <value> --plaintext --stack {stack})"
    )


def test_the_repository_name_is_named_as_part_of_the_address():
    message = refused("aws", secret_keys=("registry-lab:repositoryName",))

    assert message == (
        "registry-lab:repositoryName=[secret]: must not be a secret: it is part of the "
        "registry's address, exported in plain (fix with: pulumi config set "
        "registry-lab:repositoryName <value> --plaintext --stack aws)"
    )


def test_a_secret_registry_to_adopt_is_refused_before_the_name_conflict():
    overrides = {"registry-lab:existingRegistry": "hidden-registry"}

    message = refused(
        "digitalocean", overrides, secret_keys=("registry-lab:existingRegistry",)
    )

    assert message.startswith("registry-lab:existingRegistry=[secret]: must not be a secret")
    assert "hidden-registry" not in message


def test_a_secret_region_is_refused_before_the_kms_key_is_checked():
    overrides = {
        "aws:region": "eu-central-1", "registry-lab:encryption": "KMS",
        "registry-lab:kmsKeyArn": KMS_KEY_ARN,
    }

    message = refused("aws", overrides, secret_keys=("aws:region",))

    assert message.startswith("aws:region=[secret]: must not be a secret")
    assert "eu-central-1" not in message


# Keys that may be secrets stay out of plain exports

SECRET_ALLOWED_CASES = [
    ("aws", "registry-lab:kmsKeyArn", {
        "registry-lab:encryption": "KMS", "registry-lab:kmsKeyArn": KMS_KEY_ARN,
    }, KMS_KEY_ARN),
    ("aws", "registry-lab:pullOnlyPrincipals", {
        "registry-lab:pullOnlyPrincipals": ["arn:aws:iam::123456789012:role/hidden-ci"],
    }, "hidden-ci"),
    ("aws", "registry-lab:taggedImagePrefixes", {
        "registry-lab:taggedImagePrefixes": ["hiddenprefix-"],
    }, "hiddenprefix-"),
    ("gcp", "registry-lab:operator", {
        "registry-lab:operator": "user:hidden-operator@example.com",
    }, "hidden-operator"),
]


@pytest.mark.parametrize("stack, key, overrides, value", SECRET_ALLOWED_CASES)
def test_a_key_that_may_be_secret_reaches_no_plain_export(stack, key, overrides, value):
    run = run_stack(stack, overrides, secret_keys=(key,))

    assert run.outputs["registryHost"]
    assert value not in plain_exports(run)


# Every key the DigitalOcean stack file sets is plain: name, region, tier and expiries.
@pytest.mark.parametrize("stack", ["aws", "gcp"])
def test_every_other_text_key_of_a_stack_file_stays_out_of_plain_exports(stack):
    # Whatever a stack file sets that is not declared plain could be made a secret: its
    # value must then appear in no plain export. A number is set to one no export holds by
    # chance (within every number setting's bounds); booleans are too common to tell.
    config = stack_config(ROOT / "stacks" / f"Pulumi.{stack}.yaml")
    may_be_secret = {
        key: "3217" if value.isdigit() else value for key, value in config.items()
        if key not in PLAIN_KEYS[stack] and key != "registry-lab:cloud"
        and value not in ("true", "false", "[]")
    }
    assert may_be_secret, f"the {stack} stack file sets no key that may be secret"

    for key, value in may_be_secret.items():
        run = run_stack(stack, {key: value}, secret_keys=(key,))
        assert value not in plain_exports(run), f"{key} reaches a plain export"
