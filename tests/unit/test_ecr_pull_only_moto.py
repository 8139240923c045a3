"""The ECR adapter against moto's in-process AWS, with moto's IAM enforcement switched on.

The account is set up the way the AWS stack sets it up: the pull-only policy (the stack's own
document, policies/aws-ecr-pull-only.json) attached to a pull-only role and to a pull-only
user with an access key. Through the adapter, each identity gets a token; with the same
credentials it can read images and moto refuses its pushes.

Limitation: moto checks every ECR request against the resource "*" (it passes no repository
ARN to its policy check), so a statement scoped to the repository's ARN would never match.
The document is therefore rendered with "*" where the stack writes the repository ARN: this
proves the policy's actions, allowed and explicitly denied, not its resource scoping (the
stack's tests check that with iam-ape). Nothing leaves the process: moto answers every request.
"""

import json

import boto3
import pytest
from botocore.exceptions import ClientError
from moto import mock_aws, settings
from moto.core.authorization import ActionAuthenticatorMixin

from registry_lab.aws.policies import pull_only_policy
from registry_lab.lab.adapters import ecr

ACCOUNT = "123456789012"
REGION = "eu-west-1"
HOST = f"{ACCOUNT}.dkr.ecr.{REGION}.amazonaws.com"
REPOSITORY = "registry-lab/demo"
PULL_ONLY = "registry-lab-pull-only"
DEPLOYER = "lab-admin"

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

@pytest.fixture
def account():
    """moto with the account set up; from then on every request is judged by IAM.

    moto lets through, unauthenticated, the first INITIAL_NO_AUTH_ACTION_COUNT requests and
    counts them in ActionAuthenticatorMixin.request_count (what its own
    set_initial_no_auth_action_count sets). Instead of a count of the setup's requests kept by
    hand, enforcement starts at whatever count the setup reached, however many it made: every
    later request, the adapter's sts:AssumeRole included, is judged against the caller's own
    policies. Each test proves that with a refusal right before the adapter runs.
    """
    saved = settings.INITIAL_NO_AUTH_ACTION_COUNT, ActionAuthenticatorMixin.request_count
    settings.INITIAL_NO_AUTH_ACTION_COUNT = float("inf")
    ActionAuthenticatorMixin.request_count = 0
    try:
        with mock_aws():
            set_up = set_up_account()
            settings.INITIAL_NO_AUTH_ACTION_COUNT = ActionAuthenticatorMixin.request_count
            yield set_up
    finally:
        settings.INITIAL_NO_AUTH_ACTION_COUNT, ActionAuthenticatorMixin.request_count = saved


def set_up_account():
    """The repository with one image, the pull-only role and user, and a deployer who may
    assume the role. Returns the role ARN and the two access keys, keyed by user."""
    registry = boto3.client("ecr", region_name=REGION)
    registry.create_repository(repositoryName=REPOSITORY)
    registry.put_image(repositoryName=REPOSITORY, imageManifest=MANIFEST, imageTag="v1")

    iam = boto3.client("iam", region_name=REGION)
    policy_arn = iam.create_policy(
        PolicyName=PULL_ONLY, PolicyDocument=json.dumps(pull_only_policy("*"))
    )["Policy"]["Arn"]

    iam.create_user(UserName=PULL_ONLY)
    iam.attach_user_policy(UserName=PULL_ONLY, PolicyArn=policy_arn)
    pull_only_key = iam.create_access_key(UserName=PULL_ONLY)["AccessKey"]

    # The deployer is trusted by name, as with the stack's pullOnlyPrincipals setting: moto
    # does not read the account root principal (the stack's default) as covering its users.
    deployer_arn = iam.create_user(UserName=DEPLOYER)["User"]["Arn"]
    trust = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Principal": {"AWS": deployer_arn},
                       "Action": "sts:AssumeRole"}],
    }
    role_arn = iam.create_role(
        RoleName=PULL_ONLY, AssumeRolePolicyDocument=json.dumps(trust)
    )["Role"]["Arn"]
    iam.attach_role_policy(RoleName=PULL_ONLY, PolicyArn=policy_arn)

    may_assume = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": role_arn}],
    }
    iam.put_user_policy(UserName=DEPLOYER, PolicyName="assume-pull-only",
                        PolicyDocument=json.dumps(may_assume))
    deployer_key = iam.create_access_key(UserName=DEPLOYER)["AccessKey"]

    return role_arn, {PULL_ONLY: pull_only_key, DEPLOYER: deployer_key}


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


def assert_pulls_but_cannot_push(credentials):
    registry = ecr.boto3_client("ecr", REGION, credentials)

    images = registry.batch_get_image(repositoryName=REPOSITORY, imageIds=[{"imageTag": "v1"}])
    assert [image["imageId"]["imageTag"] for image in images["images"]] == ["v1"]
    layers = registry.batch_check_layer_availability(
        repositoryName=REPOSITORY, layerDigests=["sha256:" + "b" * 64]
    )
    # Answered, not refused: an unknown layer is a failure entry of a permitted request.
    assert [failure["failureCode"] for failure in layers["failures"]] == ["MissingLayerDigest"]

    assert refusal(lambda: registry.initiate_layer_upload(repositoryName=REPOSITORY)) == (
        403, True
    )
    assert refusal(lambda: registry.put_image(
        repositoryName=REPOSITORY, imageManifest=MANIFEST, imageTag="v2")) == (403, True)


def as_client(key: dict, service: str = "ecr"):
    return ecr.boto3_client(service, REGION, {
        "aws_access_key_id": key["AccessKeyId"], "aws_secret_access_key": key["SecretAccessKey"],
    })


def test_pull_only_user_key_gets_a_token_and_reads_but_cannot_push(account):
    role_arn, keys = account
    factory = RecordingFactory()
    identity = {"method": "ecr-access-key", "region": REGION, "registryId": ACCOUNT,
                "roleArn": role_arn, "userName": PULL_ONLY}
    key = keys[PULL_ONLY]
    credentials = {"accessKeyId": key["AccessKeyId"], "secretAccessKey": key["SecretAccessKey"]}

    # The control: IAM is enforced now, so the pull-only key is refused a push right away.
    assert refusal(lambda: as_client(key).initiate_layer_upload(repositoryName=REPOSITORY)) == (
        403, True
    )
    login = ecr.EcrLogins(client_factory=factory).login(HOST, identity, credentials)

    assert login.username == "AWS" and login.password
    assert factory.ecr_credentials["aws_access_key_id"] == key["AccessKeyId"]
    assert_pulls_but_cannot_push(factory.ecr_credentials)


def test_assumed_pull_only_role_gets_a_token_and_reads_but_cannot_push(account):
    role_arn, keys = account
    factory = RecordingFactory()
    identity = {"method": "ecr-assume-role", "region": REGION, "registryId": ACCOUNT,
                "roleArn": role_arn}
    deployer = boto3.session.Session(
        aws_access_key_id=keys[DEPLOYER]["AccessKeyId"],
        aws_secret_access_key=keys[DEPLOYER]["SecretAccessKey"],
    )

    def as_deployer(service, region, credentials):
        # The caller's own credentials: the deployer's, as the default chain would find them.
        if credentials is None:
            return deployer.client(service, region_name=region)
        return factory(service, region, credentials)

    # The control: IAM is enforced now, so the deployer, who may only assume the role, is
    # refused ECR itself; whatever the role's credentials may do below comes from the role.
    assert refusal(lambda: as_client(keys[DEPLOYER]).batch_get_image(
        repositoryName=REPOSITORY, imageIds=[{"imageTag": "v1"}])) == (403, True)
    login = ecr.EcrLogins(client_factory=as_deployer).login(HOST, identity)

    assert login.username == "AWS" and login.password
    assert factory.ecr_credentials["aws_session_token"]
    assert_pulls_but_cannot_push(factory.ecr_credentials)
