"""What the Google provider computes for the GCP stack's resources, for the mock harness."""

import base64
import json

from tests import fake_secrets
from tests.pulumi_harness import run_program

ACCOUNT = "gcp:serviceaccount/account:Account"
API_SERVICE = "gcp:projects/service:Service"
KEY = "gcp:serviceaccount/key:Key"
REPOSITORY = "gcp:artifactregistry/repository:Repository"
REPOSITORY_IAM_MEMBER = "gcp:artifactregistry/repositoryIamMember:RepositoryIamMember"
ACCOUNT_IAM_MEMBER = "gcp:serviceaccount/iAMMember:IAMMember"

PROJECT = "registry-lab-demo"
PUSH_EMAIL = f"registry-lab-push@{PROJECT}.iam.gserviceaccount.com"
PULL_ONLY_EMAIL = f"registry-lab-pull@{PROJECT}.iam.gserviceaccount.com"


def account_state(name, inputs):
    email = f"{inputs['accountId']}@{inputs['project']}.iam.gserviceaccount.com"
    return {
        "email": email,
        "member": f"serviceAccount:{email}",
        "name": f"projects/{inputs['project']}/serviceAccounts/{email}",
        "uniqueId": "104729365120938475612",
    }


def key_state(name, inputs):
    email = inputs["serviceAccountId"].rsplit("/", 1)[1]
    key_file = {
        "type": "service_account",
        "project_id": email.split("@")[1].split(".")[0],
        "private_key" + "_id": f"{name}-0f3c",
        "private_key": fake_secrets.pem_private_key(),
        "client_email": email,
    }
    encoded = base64.b64encode(json.dumps(key_file).encode()).decode()
    return {"privateKey": encoded, "name": f"{inputs['serviceAccountId']}/keys/{name}-0f3c"}


def repository_state(name, inputs):
    return {
        "name": (
            f"projects/{inputs['project']}/locations/{inputs['location']}"
            f"/repositories/{inputs['repositoryId']}"
        ),
        "createTime": "2026-12-04T15:00:00.000000Z",
    }


COMPUTED = {ACCOUNT: account_state, KEY: key_state, REPOSITORY: repository_state}


def run_gcp(overrides=None, removals=()):
    """The GCP stack file under mocks; the program makes no invokes, so none are answered."""
    return run_program("gcp", invokes={}, computed=COMPUTED, overrides=overrides,
                       removals=removals)
