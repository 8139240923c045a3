"""The ECR adapter against moto's in-process AWS, with moto's IAM enforcement switched on.

The pull-only user's access key assumes the pull-only role through the adapter; the role's
session then gets a token and can read images, and moto refuses its pushes.

Limitation: moto checks every ECR request against the resource "*" (it passes no repository
ARN to its policy check), so a statement scoped to the repository's ARN would never match and
the pull actions are allowed on "*" here. This proves the policy's actions, allowed and
explicitly denied, not its resource scoping; the stack's resource ARNs are checked by the
Pulumi tests. Nothing leaves the process: moto's mock answers every request.
"""

import json

import boto3
import pytest
from botocore.exceptions import ClientError
from moto import mock_aws
from moto.core import set_initial_no_auth_action_count

from registry_lab.lab.adapters import ecr

ACCOUNT = "123456789012"
REGION = "eu-west-1"
HOST = f"{ACCOUNT}.dkr.ecr.{REGION}.amazonaws.com"
REPOSITORY = "registry-lab/demo"
ROLE_NAME = "registry-lab-pull-only"
USER_NAME = "registry-lab-pull-only"

PUSH_ACTIONS = [
    "ecr:InitiateLayerUpload",
    "ecr:UploadLayerPart",
    "ecr:CompleteLayerUpload",
    "ecr:PutImage",
]
PULL_ONLY_POLICY = {
    "Version": "2012-10-17",
    "Statement": [
        {"Effect": "Allow", "Action": "ecr:GetAuthorizationToken", "Resource": "*"},
        {
            "Effect": "Allow",
            "Action": [
                "ecr:BatchGetImage",
                "ecr:GetDownloadUrlForLayer",
                "ecr:BatchCheckLayerAvailability",
            ],
            # The stack scopes these to the repository ARN; moto could not match that.
            "Resource": "*",
        },
        {"Effect": "Deny", "Action": PUSH_ACTIONS, "Resource": "*"},
    ],
}
MANIFEST = json.dumps({
    "schemaVersion": 2,
    "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
    "config": {
        "mediaType": "application/vnd.docker.container.image.v1+json",
        "size": 2,
        "digest": "sha256:" + "a" * 64,
    },
    "layers": [],
})

# Requests moto lets through unauthenticated: the seven of the setup below. Every later one,
# the adapter's sts:AssumeRole included, is judged against the caller's policies.
SETUP_REQUESTS = 7


def set_up_account():
    """Repository with one image, pull-only role, and a user whose key may assume the role."""
    registry = boto3.client("ecr", region_name=REGION)
    registry.create_repository(repositoryName=REPOSITORY)
    registry.put_image(repositoryName=REPOSITORY, imageManifest=MANIFEST, imageTag="v1")

    iam = boto3.client("iam", region_name=REGION)
    user = iam.create_user(UserName=USER_NAME)["User"]
    key = iam.create_access_key(UserName=USER_NAME)["AccessKey"]
    trust = {
        "Version": "2012-10-17",
        "Statement": [{
            "Effect": "Allow",
            "Principal": {"AWS": user["Arn"]},
            "Action": "sts:AssumeRole",
        }],
    }
    role = iam.create_role(RoleName=ROLE_NAME, AssumeRolePolicyDocument=json.dumps(trust))
    iam.put_role_policy(RoleName=ROLE_NAME, PolicyName="pull-only",
                        PolicyDocument=json.dumps(PULL_ONLY_POLICY))
    may_assume = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole",
                       "Resource": role["Role"]["Arn"]}],
    }
    iam.put_user_policy(UserName=USER_NAME, PolicyName="assume-pull-only",
                        PolicyDocument=json.dumps(may_assume))
    return role["Role"]["Arn"], {
        "accessKeyId": key["AccessKeyId"],
        "secretAccessKey": key["SecretAccessKey"],
    }


class RecordingFactory:
    """The adapter's real boto3 factory, remembering the credentials its ECR client used."""

    def __init__(self):
        self.ecr_credentials = None

    def __call__(self, service, region, credentials):
        if service == "ecr":
            self.ecr_credentials = credentials
        return ecr.boto3_client(service, region, credentials)


def refusal(call):
    """The HTTP status of a refused request, and whether it names an authorization denial.

    moto answers an IAM denial in XML, which the JSON ECR client cannot parse into a code, so
    the status and the raw message are what the test can read.
    """
    with pytest.raises(ClientError) as error:
        call()
    status = error.value.response["ResponseMetadata"]["HTTPStatusCode"]
    return status, "AccessDenied" in str(error.value) and "not authorized" in str(error.value)


@mock_aws
@set_initial_no_auth_action_count(SETUP_REQUESTS)
def test_pull_only_identity_gets_a_token_and_reads_but_cannot_push():
    role_arn, access_key = set_up_account()
    factory = RecordingFactory()
    identity = {"method": "ecr-access-key", "region": REGION, "registryId": ACCOUNT,
                "roleArn": role_arn, "userName": USER_NAME}

    login = ecr.EcrLogins(client_factory=factory).login(HOST, identity, access_key)

    assert login.username == "AWS" and login.password
    assert factory.ecr_credentials["aws_session_token"]
    pull_only = ecr.boto3_client("ecr", REGION, factory.ecr_credentials)

    images = pull_only.batch_get_image(repositoryName=REPOSITORY, imageIds=[{"imageTag": "v1"}])
    assert [image["imageId"]["imageTag"] for image in images["images"]] == ["v1"]
    layers = pull_only.batch_check_layer_availability(
        repositoryName=REPOSITORY, layerDigests=["sha256:" + "b" * 64]
    )
    # Answered, not refused: an unknown layer is a failure entry of a permitted request.
    assert [failure["failureCode"] for failure in layers["failures"]] == ["MissingLayerDigest"]

    assert refusal(lambda: pull_only.initiate_layer_upload(
        repositoryName=REPOSITORY)) == (403, True)
    assert refusal(lambda: pull_only.put_image(
        repositoryName=REPOSITORY, imageManifest=MANIFEST, imageTag="v2")) == (403, True)
