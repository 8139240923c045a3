"""The AWS stack's export contract: every key, its shape, and secrets kept secret."""

import json
import re

from registry_lab.contract import CONTRACT_KEYS, LOGIN_METHODS, SECRET_KEYS
from tests.unit.aws_mocks import (
    ACCESS_KEY_ID, ACCOUNT, REGION, REGISTRY_HOST, SECRET_ACCESS_KEY, run_aws,
)

HOST_PATTERN = r"(?P<account>\d{12})\.dkr\.ecr\.(?P<region>[a-z0-9-]+)\.amazonaws\.com"
REPOSITORY_URL = f"{REGISTRY_HOST}/registry-lab/demo"
REPOSITORY_ARN = f"arn:aws:ecr:{REGION}:{ACCOUNT}:repository/registry-lab/demo"
ROLE_ARN_PATTERN = rf"arn:aws:iam::{ACCOUNT}:role/lab-pull-only-[0-9a-f]+"


def test_exports_exactly_the_contract_keys():
    assert set(run_aws().outputs) == set(CONTRACT_KEYS)


def test_registry_host_is_the_accounts_ecr_login_server_in_the_stack_region():
    host = run_aws().outputs["registryHost"]

    match = re.fullmatch(HOST_PATTERN, host)
    assert match, f"registryHost {host!r} is not ACCOUNT.dkr.ecr.REGION.amazonaws.com"
    assert (match["account"], match["region"]) == (ACCOUNT, REGION)


def test_repository_url_image_ref_and_login_command_name_the_registry():
    outputs = run_aws().outputs

    assert outputs["cloud"] == "aws"
    assert outputs["repositoryUrl"] == REPOSITORY_URL
    assert outputs["imageRef"] == f"{REPOSITORY_URL}:v1"
    assert outputs["loginCommand"] == (
        f"aws ecr get-login-password --region {REGION}"
        f" | docker login --username AWS --password-stdin {REGISTRY_HOST}"
    )


def test_details_name_region_registry_and_repository():
    assert run_aws().outputs["details"] == {
        "region": REGION,
        "registryId": ACCOUNT,
        "repositoryName": "registry-lab/demo",
        "repositoryArn": REPOSITORY_ARN,
    }


def test_pusher_logs_in_with_an_ecr_token_and_has_no_static_credentials():
    outputs = run_aws().outputs

    assert outputs["pushIdentity"] == {
        "method": "ecr-token", "region": REGION, "registryId": ACCOUNT,
    }
    assert outputs["pushCredentials"] is None


def test_pull_only_identity_assumes_the_role_by_default():
    outputs = run_aws().outputs
    identity = outputs["pullOnlyIdentity"]

    assert set(identity) == {"method", "region", "registryId", "roleArn"}
    assert (identity["method"], identity["region"], identity["registryId"]) == (
        "ecr-assume-role", REGION, ACCOUNT,
    )
    assert re.fullmatch(ROLE_ARN_PATTERN, identity["roleArn"]), identity["roleArn"]
    assert outputs["pullOnlyCredentials"] is None


def test_pull_only_identity_uses_the_access_key_when_the_user_is_enabled():
    outputs = run_aws(overrides={"registry-lab:pullOnlyUser": "true"}).outputs
    identity = outputs["pullOnlyIdentity"]

    assert set(identity) == {"method", "region", "registryId", "roleArn", "userName"}
    assert identity["method"] == "ecr-access-key"
    assert identity["userName"].startswith("lab-pull-only-")
    assert re.fullmatch(ROLE_ARN_PATTERN, identity["roleArn"]), identity["roleArn"]
    assert outputs["pullOnlyCredentials"] == {
        "accessKeyId": ACCESS_KEY_ID, "secretAccessKey": SECRET_ACCESS_KEY,
    }


def test_every_login_method_exported_is_one_the_contract_defines():
    for overrides in ({}, {"registry-lab:pullOnlyUser": "true"}):
        outputs = run_aws(overrides=overrides).outputs

        for key in ("pushIdentity", "pullOnlyIdentity"):
            assert outputs[key]["method"] in LOGIN_METHODS, f"{key} with {overrides}"


def test_credentials_are_secret_and_the_secret_key_appears_in_no_plain_output():
    run = run_aws(overrides={"registry-lab:pullOnlyUser": "true"})

    assert run.secret_outputs == set(SECRET_KEYS)
    plain = {key: value for key, value in run.outputs.items() if key not in SECRET_KEYS}
    assert SECRET_ACCESS_KEY not in json.dumps(plain)
