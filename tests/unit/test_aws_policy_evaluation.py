"""What the rendered pull-only policy lets the role do, as IAM evaluates it (with iam-ape).

iam-ape computes a role's effective permissions from an account's authorization details,
applying explicit Deny over every Allow. The role here holds the policy the program rendered,
and in one case also a broad ECR grant, as if someone attached a power-user policy later.
"""

import json

import pytest
from iam_ape.evaluator import AuthorizationDetails, EffectivePolicyEvaluator
from iam_ape.helper_functions import wildcard_match
from iam_ape.helper_types import EntityType

from tests.unit.aws_mocks import ACCOUNT, POLICY, REGION, ROLE, run_aws

REPOSITORY_ARN = f"arn:aws:ecr:{REGION}:{ACCOUNT}:repository/registry-lab/demo"
OTHER_REPOSITORY_ARN = f"arn:aws:ecr:{REGION}:{ACCOUNT}:repository/registry-lab/other"
PULL_ACTIONS = [
    "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "ecr:BatchCheckLayerAvailability",
]
PUSH_ACTIONS = [
    "ecr:InitiateLayerUpload", "ecr:UploadLayerPart", "ecr:CompleteLayerUpload", "ecr:PutImage",
]
BROAD_ECR_POLICY_ARN = f"arn:aws:iam::{ACCOUNT}:policy/everything-in-ecr"
BROAD_ECR_POLICY = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Action": "ecr:*", "Resource": "*"}],
}


def managed_policy(arn: str, document: dict) -> dict:
    return {
        "Arn": arn,
        "PolicyName": arn.rsplit("/", 1)[1],
        "DefaultVersionId": "v1",
        "PolicyVersionList": [{"Document": document, "VersionId": "v1", "IsDefaultVersion": True}],
    }


def effective_permissions(also_broad_grant: bool):
    """The pull-only role's effective permissions, built from the program's own resources."""
    run = run_aws()
    role, policy = run.one(ROLE), run.one(POLICY)
    policies = [managed_policy(policy.state["arn"], json.loads(policy.inputs["policy"]))]
    if also_broad_grant:
        policies.append(managed_policy(BROAD_ECR_POLICY_ARN, BROAD_ECR_POLICY))

    details = AuthorizationDetails({
        "RoleDetailList": [{
            "Arn": role.state["arn"],
            "RoleName": role.state["name"],
            "AssumeRolePolicyDocument": json.loads(role.inputs["assumeRolePolicy"]),
            "RolePolicyList": [],
            "AttachedManagedPolicies": [
                {"PolicyName": p["PolicyName"], "PolicyArn": p["Arn"]} for p in policies
            ],
        }],
        "Policies": policies,
    })
    evaluator = EffectivePolicyEvaluator(authorization_details=details)
    return evaluator.evaluate(arn=role.state["arn"], entity_type=EntityType.role)


def allowed(permissions, action: str, resource: str) -> bool:
    """Whether ``action`` on ``resource`` is allowed unconditionally after every Deny."""
    for grant in permissions.allowed_permissions.get(action, ()):
        in_scope = grant.resource is None or wildcard_match(resource, grant.resource)
        carved_out = grant.not_resource is not None and wildcard_match(
            resource, grant.not_resource
        )
        if in_scope and not carved_out and not grant.condition:
            return True
    return False


@pytest.fixture(scope="module")
def pull_only():
    return effective_permissions(also_broad_grant=False)


@pytest.fixture(scope="module")
def pull_only_with_broad_grant():
    return effective_permissions(also_broad_grant=True)


def test_login_token_is_allowed_on_every_resource(pull_only):
    assert allowed(pull_only, "ecr:GetAuthorizationToken", "*")


@pytest.mark.parametrize("action", PULL_ACTIONS)
def test_pull_action_is_allowed_on_the_lab_repository(pull_only, action):
    assert allowed(pull_only, action, REPOSITORY_ARN)


@pytest.mark.parametrize("action", PULL_ACTIONS)
def test_pull_action_is_not_allowed_on_another_repository(pull_only, action):
    assert not allowed(pull_only, action, OTHER_REPOSITORY_ARN)


@pytest.mark.parametrize("action", PUSH_ACTIONS)
def test_push_action_is_denied_on_the_lab_repository(pull_only, action):
    assert not allowed(pull_only, action, REPOSITORY_ARN)
    denied = {grant.resource for grant in pull_only.denied_permissions[action]}
    assert denied == {"*"}, f"{action} should be denied everywhere, is denied on {denied}"


def test_the_role_may_do_nothing_but_log_in_and_pull(pull_only):
    assert set(pull_only.allowed_permissions) == {"ecr:GetAuthorizationToken", *PULL_ACTIONS}


@pytest.mark.parametrize("action", PUSH_ACTIONS)
def test_push_stays_denied_when_a_broad_ecr_grant_is_attached_later(
    pull_only_with_broad_grant, action
):
    permissions = pull_only_with_broad_grant

    assert not allowed(permissions, action, REPOSITORY_ARN)
    assert not allowed(permissions, action, OTHER_REPOSITORY_ARN)
    denied_by = {
        grant.denied_by for grant in permissions.ineffective_permissions
        if grant.action == action
    }
    assert any(source.endswith("/NeverPush") for source in denied_by), denied_by


def test_the_broad_grant_still_allows_pulling_so_the_evaluation_is_not_vacuous(
    pull_only_with_broad_grant,
):
    assert allowed(pull_only_with_broad_grant, "ecr:BatchGetImage", OTHER_REPOSITORY_ARN)
