"""The pull-only identity: its exact policy, who may assume it, and the optional user."""

import json

from tests.unit.aws_mocks import (
    ACCOUNT, ACCESS_KEY, POLICY, REGION, ROLE, ROLE_ATTACHMENT, USER, USER_ATTACHMENT, run_aws,
)

REPOSITORY_ARN = f"arn:aws:ecr:{REGION}:{ACCOUNT}:repository/registry-lab/demo"
PUSH_ACTIONS = [
    "ecr:CompleteLayerUpload", "ecr:InitiateLayerUpload", "ecr:PutImage", "ecr:UploadLayerPart",
]


def test_pull_only_policy_has_exactly_login_pull_and_a_push_deny():
    policy = json.loads(run_aws().one(POLICY).inputs["policy"])

    assert policy == {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "LogInToTheRegistry",
                "Effect": "Allow",
                "Action": "ecr:GetAuthorizationToken",
                "Resource": "*",
            },
            {
                "Sid": "PullFromTheLabRepository",
                "Effect": "Allow",
                "Action": [
                    "ecr:BatchCheckLayerAvailability",
                    "ecr:BatchGetImage",
                    "ecr:GetDownloadUrlForLayer",
                ],
                "Resource": REPOSITORY_ARN,
            },
            {
                "Sid": "NeverPush",
                "Effect": "Deny",
                "Action": PUSH_ACTIONS,
                "Resource": "*",
            },
        ],
    }


def test_pull_only_policy_follows_the_repository_it_belongs_to():
    run = run_aws(overrides={"registry-lab:repositoryName": "team/lab-app"})
    statements = json.loads(run.one(POLICY).inputs["policy"])["Statement"]

    pull = [s for s in statements if s["Sid"] == "PullFromTheLabRepository"][0]
    assert pull["Resource"] == f"arn:aws:ecr:{REGION}:{ACCOUNT}:repository/team/lab-app"


def test_role_is_assumable_by_the_deploying_account_by_default():
    run = run_aws()
    trust = json.loads(run.one(ROLE).inputs["assumeRolePolicy"])

    assert trust == {
        "Version": "2012-10-17",
        "Statement": [{
            "Sid": "AssumeToPull",
            "Effect": "Allow",
            "Principal": {"AWS": [f"arn:aws:iam::{ACCOUNT}:root"]},
            "Action": "sts:AssumeRole",
        }],
    }
    assert [token for token, _ in run.invokes] == [
        "aws:index/getCallerIdentity:getCallerIdentity", "aws:index/getPartition:getPartition",
    ]


def test_role_trusts_exactly_the_configured_principals_without_asking_the_account():
    principals = [
        "arn:aws:iam::210987654321:role/ci-runner", "arn:aws:iam::123456789012:user/ops",
    ]
    run = run_aws(overrides={"registry-lab:pullOnlyPrincipals": principals})
    trust = json.loads(run.one(ROLE).inputs["assumeRolePolicy"])

    assert trust["Statement"][0]["Principal"] == {"AWS": sorted(principals)}
    assert run.invokes == []


def test_role_hands_out_one_hour_sessions_and_holds_the_pull_only_policy():
    run = run_aws()
    role = run.one(ROLE)
    attachment = run.one(ROLE_ATTACHMENT).inputs

    assert role.inputs["maxSessionDuration"] == 3600
    assert attachment["role"] == role.state["name"]
    assert attachment["policyArn"] == run.one(POLICY).state["arn"]


def test_pull_only_user_holds_the_same_policy_and_one_access_key():
    run = run_aws(overrides={"registry-lab:pullOnlyUser": "true"})
    user = run.one(USER)

    assert run.one(USER_ATTACHMENT).inputs == {
        "user": user.state["name"], "policyArn": run.one(POLICY).state["arn"],
    }
    assert run.one(ACCESS_KEY).inputs == {"user": user.state["name"]}
