"""The ECR login adapter, with boto3 clients stubbed by botocore's Stubber: nothing is sent."""

import base64
import logging
from datetime import datetime, timedelta, timezone

import boto3
import pytest
from botocore.stub import Stubber

from registry_lab.lab import adapters
from registry_lab.lab.adapters import ecr
from registry_lab.lab.login import PULL_ONLY, PUSH, LoginError
from tests import fake_secrets

ROLE_KEY_ID = fake_secrets.aws_key_id("ASIA")

ACCOUNT = "123456789012"
REGION = "eu-west-1"
HOST = f"{ACCOUNT}.dkr.ecr.{REGION}.amazonaws.com"
ROLE_ARN = f"arn:aws:iam::{ACCOUNT}:role/registry-lab-pull-only"
NOW = datetime(2026, 3, 1, 9, 0, tzinfo=timezone.utc)

PUSH_IDENTITY = {"method": "ecr-token", "region": REGION, "registryId": ACCOUNT}
ASSUME_ROLE_IDENTITY = dict(PUSH_IDENTITY, method="ecr-assume-role", roleArn=ROLE_ARN)
ACCESS_KEY_IDENTITY = dict(
    ASSUME_ROLE_IDENTITY, method="ecr-access-key", userName="registry-lab-pull-only"
)
ACCESS_KEY = {"accessKeyId": "AKIAPULLONLYEXAMPLE", "secretAccessKey": "pull-only-secret-key"}


def token_answer(password, expires_at):
    token = base64.b64encode(f"AWS:{password}".encode()).decode()
    return {
        "authorizationData": [
            {
                "authorizationToken": token,
                "expiresAt": expires_at,
                "proxyEndpoint": f"https://{HOST}",
            }
        ]
    }


def role_answer(expires_at):
    return {
        "Credentials": {
            "AccessKeyId": ROLE_KEY_ID,
            "SecretAccessKey": "role-session-secret",
            "SessionToken": "role-session-token",
            "Expiration": expires_at,
        },
        "AssumedRoleUser": {
            "AssumedRoleId": "AROAEXAMPLEROLEID:registry-lab-pull-only",
            "Arn": f"arn:aws:sts::{ACCOUNT}:assumed-role/registry-lab-pull-only/x",
        },
    }


class StubbedAws:
    """Stubbed ECR and STS clients; records every client the adapter asks for."""

    def __init__(self, region=REGION):
        session = boto3.session.Session(
            aws_access_key_id="testing", aws_secret_access_key="testing", region_name=region
        )
        self.clients = {name: session.client(name) for name in ("ecr", "sts")}
        self.stubbers = {name: Stubber(client) for name, client in self.clients.items()}
        for stubber in self.stubbers.values():
            stubber.activate()
        self.requests = []

    def factory(self, service, region, credentials):
        self.requests.append((service, region, credentials))
        return self.clients[service]

    def answer_token(self, password, expires_at):
        self.stubbers["ecr"].add_response("get_authorization_token", token_answer(
            password, expires_at), {})

    def answer_role(self, expires_at, role_arn=ROLE_ARN):
        self.stubbers["sts"].add_response(
            "assume_role",
            role_answer(expires_at),
            {"RoleArn": role_arn, "RoleSessionName": "registry-lab-pull-only"},
        )

    def assert_all_answered(self):
        for stubber in self.stubbers.values():
            stubber.assert_no_pending_responses()


class Clock:
    def __init__(self, now=NOW):
        self.now = now

    def __call__(self):
        return self.now


@pytest.fixture
def aws():
    return StubbedAws()


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def logins(aws, clock):
    return ecr.EcrLogins(client_factory=aws.factory, clock=clock)


def refuse_requests(service, region, credentials):
    raise AssertionError(f"no {service} request may be made, got one for {region}")


@pytest.mark.parametrize(
    "host, account, region",
    [
        (HOST, ACCOUNT, REGION),
        ("210987654321.dkr.ecr.ap-southeast-2.amazonaws.com", "210987654321", "ap-southeast-2"),
        ("123456789012.dkr.ecr-fips.us-gov-west-1.amazonaws.com", ACCOUNT, "us-gov-west-1"),
        ("123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn", ACCOUNT, "cn-north-1"),
    ],
)
def test_region_and_account_come_from_the_registry_host(host, account, region):
    registry = ecr.registry_of(host)

    assert (registry.account, registry.region) == (account, region)


def test_token_is_requested_in_the_region_of_the_registry_host(aws, logins):
    aws.answer_token("push-password", NOW + timedelta(hours=12))

    logins.login(HOST, PUSH_IDENTITY)

    assert aws.requests == [("ecr", REGION, None)]


@pytest.mark.parametrize(
    "host",
    ["registry.digitalocean.com", "12345.dkr.ecr.eu-west-1.amazonaws.com",
     f"{HOST}.example.com", f"https://{HOST}"],
)
def test_a_host_that_is_not_an_ecr_registry_is_refused_before_any_request(host):
    logins = ecr.EcrLogins(client_factory=refuse_requests)

    with pytest.raises(LoginError) as error:
        logins.login(host, PUSH_IDENTITY)

    assert str(error.value) == f"registryHost={host!r}: {ecr.HOST_RULE}"


def test_identity_region_that_disagrees_with_the_host_is_a_clear_error():
    logins = ecr.EcrLogins(client_factory=refuse_requests)

    with pytest.raises(LoginError) as error:
        logins.login(HOST, dict(PUSH_IDENTITY, region="us-east-1"))

    assert str(error.value) == (
        f"{HOST}: ecr-token identity region='us-east-1' does not match the registry's region "
        "'eu-west-1' (an ECR token works in one region only)"
    )


def test_identity_registry_id_that_disagrees_with_the_host_is_a_clear_error():
    logins = ecr.EcrLogins(client_factory=refuse_requests)

    with pytest.raises(LoginError) as error:
        logins.login(HOST, dict(PUSH_IDENTITY, registryId="999999999999"))

    assert "registryId='999999999999' does not match the registry's account" in str(error.value)


def test_push_token_is_decoded_into_username_password_and_expiry(aws, logins):
    expires_at = NOW + timedelta(hours=12)
    aws.answer_token("push-password", expires_at)

    login = logins.login(HOST, PUSH_IDENTITY)

    assert (login.host, login.username, login.password) == (HOST, "AWS", "push-password")
    assert login.expires_at == expires_at
    aws.assert_all_answered()


def test_a_password_containing_colons_survives_decoding(aws, logins):
    aws.answer_token("part:one:two", NOW + timedelta(hours=12))

    assert logins.login(HOST, PUSH_IDENTITY).password == "part:one:two"


def test_pull_only_login_assumes_the_exported_role_and_uses_its_credentials(aws, logins):
    aws.answer_role(NOW + timedelta(hours=1))
    aws.answer_token("pull-password", NOW + timedelta(hours=12))

    login = logins.login(HOST, ASSUME_ROLE_IDENTITY)

    assert login.password == "pull-password"
    assert aws.requests == [
        ("sts", REGION, None),
        ("ecr", REGION, {
            "aws_access_key_id": ROLE_KEY_ID,
            "aws_secret_access_key": "role-session-secret",
            "aws_session_token": "role-session-token",
        }),
    ]
    aws.assert_all_answered()


def test_token_from_a_role_session_expires_no_later_than_the_session(aws, logins):
    session_end = NOW + timedelta(hours=1)
    aws.answer_role(session_end)
    aws.answer_token("pull-password", NOW + timedelta(hours=12))

    assert logins.login(HOST, ASSUME_ROLE_IDENTITY).expires_at == session_end


def test_access_key_login_fetches_the_token_with_the_key_itself_not_the_role(aws, logins):
    aws.answer_token("pull-password", NOW + timedelta(hours=12))

    login = logins.login(HOST, ACCESS_KEY_IDENTITY, ACCESS_KEY)

    assert login.password == "pull-password"
    assert aws.requests == [("ecr", REGION, {
        "aws_access_key_id": "AKIAPULLONLYEXAMPLE",
        "aws_secret_access_key": "pull-only-secret-key",
    })]
    aws.assert_all_answered()


def test_access_key_login_without_credentials_is_a_clear_error():
    logins = ecr.EcrLogins(client_factory=refuse_requests)

    with pytest.raises(LoginError) as error:
        logins.login(HOST, ACCESS_KEY_IDENTITY, {"accessKeyId": "AKIAPULLONLYEXAMPLE"})

    assert str(error.value) == (
        f"{HOST}: ecr-access-key login needs credentials with accessKeyId and secretAccessKey"
    )


def test_a_fresh_token_is_reused_without_a_request(aws, clock, logins):
    aws.answer_token("first-password", NOW + timedelta(hours=12))
    first = logins.login(HOST, PUSH_IDENTITY)

    clock.now = NOW + timedelta(hours=11)
    again = logins.login(HOST, PUSH_IDENTITY)

    assert again is first
    assert len(aws.requests) == 1


def test_a_token_within_the_refresh_margin_is_replaced_before_use(aws, clock, logins):
    aws.answer_token("first-password", NOW + timedelta(hours=12))
    logins.login(HOST, PUSH_IDENTITY)

    clock.now = NOW + timedelta(hours=11, minutes=31)
    aws.answer_token("second-password", clock.now + timedelta(hours=12))
    login = logins.login(HOST, PUSH_IDENTITY)

    assert login.password == "second-password"
    assert login.expires_at == clock.now + timedelta(hours=12)
    aws.assert_all_answered()


def test_a_twelve_hour_old_token_is_never_reused(aws, clock, logins):
    aws.answer_token("first-password", NOW + timedelta(hours=12))
    logins.login(HOST, PUSH_IDENTITY)

    clock.now = NOW + timedelta(hours=12, seconds=1)
    aws.answer_token("second-password", clock.now + timedelta(hours=12))

    assert logins.login(HOST, PUSH_IDENTITY).password == "second-password"


def test_push_and_pull_only_logins_are_cached_apart(aws, logins):
    aws.answer_token("push-password", NOW + timedelta(hours=12))
    aws.answer_role(NOW + timedelta(hours=1))
    aws.answer_token("pull-password", NOW + timedelta(hours=12))

    push = logins.login(HOST, PUSH_IDENTITY)
    pull_only = logins.login(HOST, ASSUME_ROLE_IDENTITY)

    assert (push.password, pull_only.password) == ("push-password", "pull-password")


def test_the_password_is_in_no_repr_str_or_log_line(aws, logins, caplog):
    caplog.set_level(logging.DEBUG)
    aws.answer_token("very-secret-password", NOW + timedelta(hours=12))
    aws.answer_role(NOW + timedelta(hours=1))
    aws.answer_token("other-secret-password", NOW + timedelta(hours=12))

    with_key = logins.login(HOST, ACCESS_KEY_IDENTITY, ACCESS_KEY)
    with_role = logins.login(HOST, ASSUME_ROLE_IDENTITY)

    seen = " ".join([repr(with_key), str(with_key), repr(with_role), str(with_role),
                     repr(logins), caplog.text])
    for secret in ("very-secret-password", "other-secret-password", "pull-only-secret-key",
                   "role-session-secret", "role-session-token",
                   base64.b64encode(b"AWS:very-secret-password").decode()):
        assert secret not in seen
    assert f"ECR token for {HOST} (ecr-access-key) valid until" in caplog.text
    assert f"ECR token for {HOST} (ecr-assume-role) valid until" in caplog.text


def test_access_denied_becomes_one_line_naming_the_registry(aws, logins):
    aws.stubbers["ecr"].add_client_error(
        "get_authorization_token",
        service_error_code="AccessDeniedException",
        service_message="User: arn:aws:iam::123456789012:user/ci is not authorized\n"
                        "to perform: ecr:GetAuthorizationToken",
        http_status_code=400,
    )

    with pytest.raises(LoginError) as error:
        logins.login(HOST, PUSH_IDENTITY)

    assert str(error.value) == (
        f"{HOST}: ecr:GetAuthorizationToken was refused: AccessDeniedException: User: "
        "arn:aws:iam::123456789012:user/ci is not authorized to perform: "
        "ecr:GetAuthorizationToken"
    )


def test_expired_credentials_become_one_line_with_the_fix(aws, logins):
    aws.stubbers["sts"].add_client_error(
        "assume_role",
        service_error_code="ExpiredToken",
        service_message="The security token included in the request is expired",
        http_status_code=403,
    )

    with pytest.raises(LoginError) as error:
        logins.login(HOST, ASSUME_ROLE_IDENTITY)

    assert str(error.value) == (
        f"{HOST}: sts:AssumeRole on {ROLE_ARN} was refused: ExpiredToken: The security token "
        "included in the request is expired (refresh your AWS credentials)"
    )


def test_missing_aws_credentials_become_one_line_naming_the_registry(monkeypatch, tmp_path):
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN",
                 "AWS_PROFILE", "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
                 "AWS_CONTAINER_CREDENTIALS_FULL_URI", "AWS_WEB_IDENTITY_TOKEN_FILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "credentials"))
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "config"))
    # The instance metadata service is the last link of the default chain; never ask it.
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")

    with pytest.raises(LoginError) as error:
        ecr.EcrLogins().login(HOST, PUSH_IDENTITY)

    assert str(error.value).startswith(
        f"{HOST}: ecr:GetAuthorizationToken needs AWS credentials and found none"
    )


def test_login_for_routes_every_ecr_method_to_the_ecr_adapter(aws, logins, monkeypatch):
    monkeypatch.setattr(ecr, "LOGINS", logins)
    aws.answer_token("push-password", NOW + timedelta(hours=12))
    aws.answer_token("pull-password", NOW + timedelta(hours=12))
    contract = {
        "registryHost": HOST,
        "pushIdentity": PUSH_IDENTITY,
        "pushCredentials": None,
        "pullOnlyIdentity": ACCESS_KEY_IDENTITY,
        "pullOnlyCredentials": ACCESS_KEY,
    }

    push = adapters.login_for(contract, PUSH)
    pull_only = adapters.login_for(contract, PULL_ONLY)

    assert (push.password, pull_only.password) == ("push-password", "pull-password")
    assert {method for method in ecr.METHODS if adapters.ADAPTERS[method] is ecr.login} == set(
        ecr.METHODS
    )
