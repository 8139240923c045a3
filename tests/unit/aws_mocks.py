"""What a real AWS account would answer to the AWS stack, for runs under Pulumi mocks.

Invoke payloads use the camelCase names the provider returns; resource state adds what AWS
computes (ARNs, the repository URL, generated names, the access key) on top of the inputs.
"""

from tests import fake_secrets
from tests.pulumi_harness import run_program

ACCOUNT = "123456789012"
REGION = "eu-west-1"
REGISTRY_HOST = f"{ACCOUNT}.dkr.ecr.{REGION}.amazonaws.com"
ACCESS_KEY_ID = fake_secrets.aws_key_id()
SECRET_ACCESS_KEY = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"

REPOSITORY = "aws:ecr/repository:Repository"
LIFECYCLE_POLICY = "aws:ecr/lifecyclePolicy:LifecyclePolicy"
ROLE = "aws:iam/role:Role"
POLICY = "aws:iam/policy:Policy"
ROLE_ATTACHMENT = "aws:iam/rolePolicyAttachment:RolePolicyAttachment"
USER = "aws:iam/user:User"
USER_ATTACHMENT = "aws:iam/userPolicyAttachment:UserPolicyAttachment"
ACCESS_KEY = "aws:iam/accessKey:AccessKey"
COMPONENT = "registry-lab:aws:Registry"

INVOKES = {
    "aws:index/getCallerIdentity:getCallerIdentity": lambda args: {
        "accountId": ACCOUNT,
        "arn": f"arn:aws:iam::{ACCOUNT}:user/lab-admin",
        "userId": "AIDASAMPLEUSERID12345",
        "id": ACCOUNT,
    },
    "aws:index/getPartition:getPartition": lambda args: {
        "partition": "aws",
        "dnsSuffix": "amazonaws.com",
        "reverseDnsPrefix": "com.amazonaws",
        "id": "aws",
    },
}


def _repository(name, inputs):
    repository = inputs["name"]
    return {
        "arn": f"arn:aws:ecr:{REGION}:{ACCOUNT}:repository/{repository}",
        "registryId": ACCOUNT,
        "repositoryUrl": f"{REGISTRY_HOST}/{repository}",
    }


def _role(name, inputs):
    generated = f"{name}-4f1c2e7"
    return {
        "name": generated,
        "arn": f"arn:aws:iam::{ACCOUNT}:role/{generated}",
        "uniqueId": "AROASAMPLEROLEID12345",
    }


def _policy(name, inputs):
    generated = f"{name}-9a3b5d1"
    return {"name": generated, "arn": f"arn:aws:iam::{ACCOUNT}:policy/{generated}"}


def _user(name, inputs):
    generated = f"{name}-7e2d9c4"
    return {"name": generated, "arn": f"arn:aws:iam::{ACCOUNT}:user/{generated}"}


def _access_key(name, inputs):
    return {"id": ACCESS_KEY_ID, "secret": SECRET_ACCESS_KEY, "status": "Active"}


COMPUTED = {
    REPOSITORY: _repository,
    ROLE: _role,
    POLICY: _policy,
    USER: _user,
    ACCESS_KEY: _access_key,
}


def run_aws(overrides=None, removals=(), computed=None):
    """Run the program with stacks/Pulumi.aws.yaml, answering as the account above would."""
    return run_program(
        "aws", invokes=INVOKES, computed=computed or COMPUTED,
        overrides=overrides, removals=removals,
    )
