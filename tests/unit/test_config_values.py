"""How values are read: ASCII only, bounded numbers, blank means unset, long values cut short."""

import json

import pytest

from registry_lab.config.reader import INTEGER_RULE, ConfigReader
from registry_lab.errors import ConfigError, echo
from tests.unit.aws_mocks import LIFECYCLE_POLICY, REPOSITORY
from tests.unit.digitalocean_stack_support import CREDENTIALS
from tests.unit.gcp_state import REPOSITORY as GCP_REPOSITORY
from tests.unit.stack_runs import refused, run_stack


def reader(**values):
    return ConfigReader({f"registry-lab:{key}": value for key, value in values.items()}.get)


# Whole numbers: ASCII digits only

NOT_ASCII_WHOLE_NUMBERS = [
    "١",          # ARABIC-INDIC DIGIT ONE: int() reads it as 1
    "１２",        # FULLWIDTH 1 and 2: int() reads 12
    "+5",
    "1_000",
    "0x10",
    "1e3",
    "5.0",
    "1 2",
]


@pytest.mark.parametrize("text", NOT_ASCII_WHOLE_NUMBERS)
def test_only_ascii_digits_make_a_whole_number(text):
    with pytest.raises(ConfigError) as error:
        reader(days=text).integer("days", 14, minimum=1, maximum=3650)

    assert error.value.rule == INTEGER_RULE
    assert error.value.value == text


@pytest.mark.parametrize("stack, key", [
    ("aws", "untaggedImageDays"), ("aws", "taggedImagesToKeep"),
    ("gcp", "cleanupUntaggedOlderThanDays"), ("gcp", "cleanupKeepRecentVersions"),
    ("digitalocean", "pushCredentialsExpirySeconds"),
])
@pytest.mark.parametrize("text", ["١", "１２", "+5", "1_000"])
def test_every_number_setting_refuses_digits_outside_ascii(stack, key, text):
    message = refused(stack, {f"registry-lab:{key}": text})

    assert message.startswith(f"registry-lab:{key}={text!r}: {INTEGER_RULE} (fix with:")


def test_a_leading_minus_and_leading_zeros_still_read_as_a_number():
    assert reader(days="007").integer("days", 14, minimum=1, maximum=3650) == 7
    with pytest.raises(ConfigError) as error:
        reader(days="-3").integer("days", 14, minimum=1, maximum=3650)
    assert error.value.rule == "must be at least 1 and at most 3650"


# Upper bounds

BOUNDS = [
    ("aws", "untaggedImageDays", 3650),
    ("aws", "taggedImagesToKeep", 100000),
    ("gcp", "cleanupUntaggedOlderThanDays", 3650),
    ("gcp", "cleanupKeepRecentVersions", 10000),
    ("digitalocean", "pushCredentialsExpirySeconds", 2592000),
    ("digitalocean", "pullOnlyCredentialsExpirySeconds", 2592000),
]


@pytest.mark.parametrize("stack, key, maximum", BOUNDS)
@pytest.mark.parametrize("too_big", ["{above}", "2147483648", "9" * 30])
def test_a_number_over_its_maximum_is_refused(stack, key, maximum, too_big):
    text = too_big.format(above=maximum + 1)

    message = refused(stack, {f"registry-lab:{key}": text})

    assert message == (
        f"registry-lab:{key}={text!r}: must be at least 1 and at most {maximum}"
        f" (fix with: pulumi config set registry-lab:{key} <value> --stack {stack})"
    )


def test_aws_lifecycle_numbers_at_their_maximum_reach_the_policy():
    run = run_stack("aws", {
        "registry-lab:untaggedImageDays": "3650", "registry-lab:taggedImagesToKeep": "100000",
    })

    rules = json.loads(run.one(LIFECYCLE_POLICY).inputs["policy"])["rules"]
    assert [rule["selection"]["countNumber"] for rule in rules] == [3650, 100000]


def test_gcp_cleanup_numbers_at_their_maximum_reach_the_policies():
    run = run_stack("gcp", {
        "registry-lab:cleanupUntaggedOlderThanDays": "3650",
        "registry-lab:cleanupKeepRecentVersions": "10000",
    })

    policies = {p["id"]: p for p in run.one(GCP_REPOSITORY).inputs["cleanupPolicies"]}
    assert policies["delete-untagged"]["condition"]["olderThan"] == f"{3650 * 86400}s"
    assert policies["keep-recent-versions"]["mostRecentVersions"]["keepCount"] == 10000


# Long values

def test_a_five_thousand_digit_number_is_echoed_cut_short():
    number = "7" * 5000

    message = refused("aws", {"registry-lab:untaggedImageDays": number})

    assert message == (
        f"registry-lab:untaggedImageDays='{'7' * 99}… (5000 characters): "
        "must be at least 1 and at most 3650"
        " (fix with: pulumi config set registry-lab:untaggedImageDays <value> --stack aws)"
    )


def test_a_long_text_value_is_echoed_cut_short_with_its_length():
    name = "Bad_" * 1000

    message = refused("digitalocean", {"registry-lab:registryName": name})

    assert message.startswith(
        f"registry-lab:registryName={repr(name)[:100]}… (4000 characters): is 4000 characters"
    )
    assert len(message) < 500


def test_a_value_of_an_arns_length_is_echoed_whole():
    arn = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"

    assert echo(arn) == repr(arn)
    assert echo(None) == "None"


# Blank means unset, for every kind of setting

BLANKS = ["", "   ", "\t", " \n "]


@pytest.mark.parametrize("blank", BLANKS)
def test_a_blank_value_reads_as_unset_for_every_reader(blank):
    read = reader(name=blank)

    assert read.raw("name") is None
    assert read.text("name", "fallback") == "fallback"
    assert read.matching("name", r"[a-z]+", "lowercase", default="fallback") == "fallback"
    assert read.choice("name", ("one", "two"), "two") == "two"
    assert read.boolean("name", True) is True
    assert read.integer("name", 14, minimum=1, maximum=3650) == 14
    assert read.text_list("name", ["v"]) == ["v"]
    with pytest.raises(ConfigError) as error:
        read.required_text("name", "is required")
    assert error.value.value is None


@pytest.mark.parametrize("blank", ["", "   "])
def test_blank_aws_settings_of_every_type_take_their_defaults(blank):
    blank_keys = [
        "repositoryName",          # text with a pattern
        "imageTagMutability",      # a choice
        "kmsKeyArn",               # optional text
        "scanOnPush",              # boolean
        "untaggedImageDays",       # integer
        "taggedImagePrefixes",     # list
    ]
    run = run_stack("aws", {f"registry-lab:{key}": blank for key in blank_keys})

    repository = run.one(REPOSITORY).inputs
    assert repository["name"] == "registry-lab/demo"
    assert repository["imageTagMutability"] == "MUTABLE"
    assert repository["encryptionConfigurations"] == [{"encryptionType": "AES256"}]
    assert repository["imageScanningConfiguration"] == {"scanOnPush": True}
    untagged, tagged = json.loads(run.one(LIFECYCLE_POLICY).inputs["policy"])["rules"]
    assert untagged["selection"]["countNumber"] == 14
    assert tagged["selection"]["tagPatternList"] == ["*"]


def test_a_blank_required_setting_is_refused_as_missing():
    assert refused("gcp", {"registry-lab:operator": "   "}).startswith(
        "registry-lab:operator is not set: an operator is needed"
    )
    assert refused("aws", {"aws:region": "  "}).startswith("aws:region is not set: must be an AWS")


def test_blank_digitalocean_expiry_takes_its_default():
    run = run_stack("digitalocean", {"registry-lab:pushCredentialsExpirySeconds": "  "})

    assert {r.inputs["expirySeconds"] for r in run.of_type(CREDENTIALS)} == {86400}


# Patterns match ASCII only

@pytest.mark.parametrize("principal", [
    "arn:aws:iam::١٢٣٤٥٦٧٨٩٠١٢:root",       # account in Arabic-Indic digits
    "arn:aws:iam::123456789012:role/cï",     # a letter outside ASCII in the role name
])
def test_principals_outside_ascii_are_refused(principal):
    message = refused("aws", {"registry-lab:pullOnlyPrincipals": [principal]})

    assert f"{principal!r} is not an IAM principal ARN" in message

