"""AWS list settings that IAM or ECR would refuse halfway through ``pulumi up`` are refused first.

The stack is in eu-west-1 (partition aws). Each refusal is one line, and nothing is registered.
"""

import json

import pytest

from registry_lab.aws.settings import LIFECYCLE_POLICY_MAX, MAX_TAG_PREFIXES, TRUST_POLICY_MAX
from tests.unit.aws_mocks import LIFECYCLE_POLICY, ROLE
from tests.unit.stack_runs import refused, run_stack

PRINCIPALS = "registry-lab:pullOnlyPrincipals"
PREFIXES = "registry-lab:taggedImagePrefixes"


def principal_refused(principal: str) -> str:
    return refused("aws", {PRINCIPALS: [principal]})


# Pull-only principals

def test_a_principal_of_another_partition_is_refused():
    principal = "arn:aws-cn:iam::123456789012:role/ci"

    assert principal_refused(principal) == (
        f"{PRINCIPALS}=[{principal!r}]: item [0] {principal!r} is not in the partition of "
        "aws:region eu-west-1 (aws), so IAM would refuse it in the trust policy "
        f"(fix with: pulumi config set --path '{PRINCIPALS}[0]' <value> --stack aws)"
    )


def test_a_principal_ending_with_a_slash_is_refused():
    message = principal_refused("arn:aws:iam::123456789012:role/a/")

    assert "item [0] 'arn:aws:iam::123456789012:role/a/' ends with '/': the role or user " \
        "name must follow the last '/'" in message


def test_a_principal_with_an_empty_path_segment_is_refused():
    message = principal_refused("arn:aws:iam::123456789012:role/path//ci")

    assert "item [0] 'arn:aws:iam::123456789012:role/path//ci' has an empty path segment" \
        in message


def test_a_role_name_over_iams_limit_is_refused():
    message = principal_refused("arn:aws:iam::123456789012:role/" + "r" * 65)

    assert "has a role or user name longer than IAM's 64 characters" in message


def test_a_user_path_over_iams_limit_is_refused():
    message = principal_refused("arn:aws:iam::123456789012:user/" + "p/" * 256 + "ci")

    assert "has a path longer than IAM's 512 characters" in message


def test_the_second_bad_principal_is_named_by_its_position():
    message = refused("aws", {PRINCIPALS: [
        "arn:aws:iam::123456789012:root", "arn:aws-us-gov:iam::123456789012:root",
    ]})

    assert "item [1] 'arn:aws-us-gov:iam::123456789012:root' is not in the partition" in message


def test_principals_at_iams_limits_are_trusted():
    principals = [
        "arn:aws:iam::123456789012:role/" + "r" * 64,
        "arn:aws:iam::123456789012:user/team/ci/" + "u" * 64,
        "arn:aws:iam::123456789012:root",
    ]

    run = run_stack("aws", {PRINCIPALS: principals})

    trust = json.loads(run.one(ROLE).inputs["assumeRolePolicy"])
    assert trust["Statement"][0]["Principal"]["AWS"] == sorted(principals)


def test_principals_past_the_trust_policy_limit_are_refused():
    principals = [f"arn:aws:iam::{account:012d}:root" for account in range(70)]

    message = refused("aws", {PRINCIPALS: principals})

    # 70 ARNs of 30 characters, quoted and comma-separated (2,309), in a 127-character statement.
    assert message.startswith(f"{PRINCIPALS}=[")
    assert (
        "make the pull-only role's trust policy 2,436 characters long, over IAM's default "
        f"limit of {TRUST_POLICY_MAX:,}; name fewer principals" in message
    )


# Tag prefixes

def test_more_tag_prefixes_than_allowed_are_refused():
    prefixes = [f"p{index}" for index in range(MAX_TAG_PREFIXES + 1)]

    message = refused("aws", {PREFIXES: prefixes})

    assert f": has {MAX_TAG_PREFIXES + 1} items; at most {MAX_TAG_PREFIXES} are allowed" \
        in message
    assert message.endswith(
        f"(fix with: edit the list under {PREFIXES} in stacks/Pulumi.<stack>.yaml)"
    )


def test_a_tag_prefix_longer_than_a_tag_is_refused():
    message = refused("aws", {PREFIXES: ["v" * 129]})

    assert "item [0] " in message
    assert "is longer than a tag may be (128 characters)" in message


def test_prefixes_making_the_lifecycle_policy_too_long_are_refused():
    prefixes = [f"p{index:03d}" + "x" * 124 for index in range(120)]

    message = refused("aws", {PREFIXES: prefixes})

    assert (
        "makes the lifecycle policy 33,405 characters long, over ECR's limit of 30,720; "
        "use fewer or shorter prefixes" in message
    )


def test_prefixes_just_within_the_lifecycle_policy_limit_are_used():
    prefixes = [f"p{index:03d}" + "x" * 124 for index in range(110)]

    run = run_stack("aws", {PREFIXES: prefixes})

    policy = run.one(LIFECYCLE_POLICY).inputs["policy"]
    assert len(policy) <= LIFECYCLE_POLICY_MAX
    assert json.loads(policy)["rules"][1]["selection"]["tagPrefixList"] == prefixes


@pytest.mark.parametrize("name", ["lab__app", "lab-+app", "team//app"])
def test_repeated_separators_stay_refused_by_the_projects_rule(name):
    # ECR's API takes some of these; the project keeps single separators (see README).
    assert refused("aws", {"registry-lab:repositoryName": name}).startswith(
        f"registry-lab:repositoryName={name!r}: must be 2-256 characters"
    )
