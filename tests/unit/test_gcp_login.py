"""The GCP login adapter, with no network: token sources and google-auth are replaced."""

import base64
import json
import subprocess
from datetime import datetime, timezone

import google.auth
import google.auth.exceptions
import google.oauth2.credentials
import pytest
from google.auth import impersonated_credentials

from registry_lab.lab.adapters import ADAPTERS, gcp, login_for
from registry_lab.lab.login import PULL_ONLY, PUSH, LoginError
from tests import fake_secrets

HOST = "europe-west3-docker.pkg.dev"
PUSH_EMAIL = "registry-lab-push@registry-lab-demo.iam.gserviceaccount.com"
PULL_ONLY_EMAIL = "registry-lab-pull@registry-lab-demo.iam.gserviceaccount.com"
TOKEN = "ya29.c.b0-impersonated-token-for-tests"
EXPIRY = datetime(2026, 12, 4, 16, 30, tzinfo=timezone.utc)


def contract(method="gcp-impersonate", host=HOST, push_credentials=None, pull_credentials=None):
    return {
        "cloud": "gcp",
        "registryHost": host,
        "pushIdentity": {"method": method, "serviceAccount": PUSH_EMAIL},
        "pullOnlyIdentity": {"method": method, "serviceAccount": PULL_ONLY_EMAIL},
        "pushCredentials": push_credentials,
        "pullOnlyCredentials": pull_credentials,
    }


def key_base64(email):
    key_file = {"type": "service_account", "client_email": email,
                "private_key": fake_secrets.pem_private_key()}
    return base64.b64encode(json.dumps(key_file).encode()).decode()


class FakeTokenSource:
    """Hands out a fixed token and remembers which accounts it was asked for."""

    def __init__(self):
        self.accounts = []

    def __call__(self, account):
        self.accounts.append(account)
        return gcp.AccessToken(TOKEN, EXPIRY)


@pytest.fixture
def token_source(monkeypatch):
    source = FakeTokenSource()
    monkeypatch.setattr(gcp, "impersonated_token", source)
    return source


@pytest.fixture
def launched(monkeypatch):
    """Every command line started while the test runs."""
    argvs = []

    def record(self, args, *rest, **kwargs):
        argvs.append(args)
        raise AssertionError(f"the adapter started a process: {args}")

    monkeypatch.setattr(subprocess.Popen, "__init__", record)
    return argvs


def test_both_methods_are_registered_as_adapters():
    assert ADAPTERS["gcp-impersonate"] is gcp.login_with_impersonation
    assert ADAPTERS["gcp-key"] is gcp.login_with_key


def test_push_login_impersonates_the_push_account_on_the_exported_host(token_source):
    login = login_for(contract(), PUSH)

    assert login.host == HOST
    assert login.username == "oauth2accesstoken"
    assert login.password == TOKEN
    assert login.expires_at == EXPIRY
    assert token_source.accounts == [PUSH_EMAIL]


def test_pull_only_login_impersonates_the_pull_only_account(token_source):
    login = login_for(contract(), PULL_ONLY)

    assert (login.host, login.username) == (HOST, "oauth2accesstoken")
    assert token_source.accounts == [PULL_ONLY_EMAIL]


def test_multi_region_host_is_used_exactly_as_exported(token_source):
    login = login_for(contract(host="us-docker.pkg.dev"), PUSH)

    assert login.host == "us-docker.pkg.dev"


@pytest.mark.parametrize("host", ["gcr.io", "eu.gcr.io", "us.gcr.io"])
def test_container_registry_hosts_are_refused(token_source, host):
    with pytest.raises(LoginError) as error:
        login_for(contract(host=host), PUSH)

    assert str(error.value).startswith(f"{host}: Container Registry hosts are refused")
    assert token_source.accounts == []


def test_a_host_that_is_not_artifact_registry_is_refused(token_source):
    with pytest.raises(LoginError) as error:
        login_for(contract(host="registry.example.com"), PUSH)

    assert "not an Artifact Registry Docker host" in str(error.value)
    assert token_source.accounts == []


def test_token_never_reaches_a_command_line_or_a_repr(token_source, launched):
    login = login_for(contract(), PUSH)

    assert launched == []
    assert TOKEN not in repr(login)
    assert TOKEN not in str(login)


def test_key_login_uses_json_key_base64_and_the_exported_key(launched):
    push_key = key_base64(PUSH_EMAIL)
    pull_key = key_base64(PULL_ONLY_EMAIL)
    keyed = contract("gcp-key", push_credentials={"keyJsonBase64": push_key},
                     pull_credentials={"keyJsonBase64": pull_key})

    push = login_for(keyed, PUSH)
    pull_only = login_for(keyed, PULL_ONLY)

    assert (push.host, push.username, push.password) == (HOST, "_json_key_base64", push_key)
    assert (pull_only.username, pull_only.password) == ("_json_key_base64", pull_key)
    assert push.expires_at is None
    assert push_key not in repr(push)
    assert launched == []


def test_key_login_without_credentials_says_where_they_come_from():
    with pytest.raises(LoginError) as error:
        login_for(contract("gcp-key"), PUSH)

    assert str(error.value) == (
        f"{HOST}: gcp-key login for {PUSH_EMAIL} needs credentials with keyJsonBase64 "
        "(pulumi stack output --show-secrets)"
    )


def test_key_of_another_account_is_refused_without_echoing_it():
    other = key_base64(PULL_ONLY_EMAIL)

    with pytest.raises(LoginError) as error:
        login_for(contract("gcp-key", push_credentials={"keyJsonBase64": other}), PUSH)

    assert str(error.value) == f"{HOST}: the key belongs to {PULL_ONLY_EMAIL!r}, not {PUSH_EMAIL}"


def test_key_that_is_not_base64_json_is_refused_without_echoing_it():
    with pytest.raises(LoginError) as error:
        login_for(contract("gcp-key", push_credentials={"keyJsonBase64": "not-a-key!"}), PUSH)

    assert "not base64 of a service-account key file" in str(error.value)
    assert "not-a-key!" not in str(error.value)


def operator_credentials():
    """The operator's application-default login: real user credentials holding a fixed token."""
    return google.oauth2.credentials.Credentials(token="operator-token")


def test_default_token_source_impersonates_with_google_auth(monkeypatch):
    asked = {}

    def fake_default(scopes):
        asked["scopes"] = scopes
        return operator_credentials(), "registry-lab-demo"

    def fake_refresh(self, request):
        asked["principal"] = self._target_principal
        asked["target_scopes"] = self._target_scopes
        asked["lifetime"] = self._lifetime
        asked["source"] = self._source_credentials
        self.token = TOKEN
        self.expiry = datetime(2026, 12, 4, 16, 30)

    monkeypatch.setattr(google.auth, "default", fake_default)
    monkeypatch.setattr(impersonated_credentials.Credentials, "refresh", fake_refresh)

    token = gcp.impersonated_token(PUSH_EMAIL)

    assert (token.value, token.expires_at) == (TOKEN, EXPIRY)
    assert asked["principal"] == PUSH_EMAIL
    assert asked["scopes"] == asked["target_scopes"] == [gcp.CLOUD_PLATFORM_SCOPE]
    assert asked["lifetime"] == 3600
    assert asked["source"].token == "operator-token"
    assert TOKEN not in repr(token)


def test_refused_impersonation_is_one_line_naming_account_and_fix(monkeypatch):
    def refused(self, request):
        raise google.auth.exceptions.RefreshError(
            "Unable to acquire impersonated credentials\nPermission 'iam.serviceAccounts."
            "getAccessToken' denied"
        )

    monkeypatch.setattr(google.auth, "default", lambda scopes: (operator_credentials(), None))
    monkeypatch.setattr(impersonated_credentials.Credentials, "refresh", refused)

    with pytest.raises(LoginError) as error:
        gcp.impersonated_token(PUSH_EMAIL)

    message = str(error.value)
    assert "\n" not in message
    assert message.startswith(f"cannot impersonate {PUSH_EMAIL}: Unable to acquire")
    assert "roles/iam.serviceAccountTokenCreator" in message


def test_missing_application_default_login_is_a_login_error(monkeypatch):
    def no_login(scopes):
        raise google.auth.exceptions.DefaultCredentialsError("Your default credentials were "
                                                              "not found.")

    monkeypatch.setattr(google.auth, "default", no_login)

    with pytest.raises(LoginError) as error:
        gcp.impersonated_token(PULL_ONLY_EMAIL)

    assert "gcloud auth application-default login" in str(error.value)
