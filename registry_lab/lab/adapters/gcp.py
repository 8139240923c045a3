"""Artifact Registry logins: an impersonated access token, or a service-account key.

The token is minted in-process with google-auth from the caller's own application-default
credentials, so it never passes through a command line. The host is the contract's registryHost
as exported (``LOCATION-docker.pkg.dev``); Container Registry hosts (gcr.io) are refused, since
the stack never creates anything there.
"""

import base64
import binascii
import json
import re
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Callable, Mapping, Optional

import google.auth
import google.auth.exceptions
from google.auth import impersonated_credentials
from google.auth.transport.requests import Request

from registry_lab.lab.login import LoginError, RegistryLogin

TOKEN_USERNAME = "oauth2accesstoken"
KEY_USERNAME = "_json_key_base64"

CLOUD_PLATFORM_SCOPE = "https://www.googleapis.com/auth/cloud-platform"
# An hour is the longest lifetime impersonation grants without an organisation policy change.
TOKEN_LIFETIME_SECONDS = 3600

HOST_PATTERN = r"[a-z][a-z0-9-]*[a-z0-9]-docker\.pkg\.dev"


@dataclass(frozen=True)
class AccessToken:
    value: str = field(repr=False)
    expires_at: Optional[datetime]


# service-account e-mail -> an access token that acts as that account.
TokenSource = Callable[[str], AccessToken]


def login_with_impersonation(
    host: str,
    identity: Mapping[str, Any],
    credentials: Optional[Mapping[str, Any]],
    token_source: Optional[TokenSource] = None,
) -> RegistryLogin:
    """Log in as the identity's service account through a short-lived impersonated token."""
    _check_host(host)
    account = _service_account(host, identity)

    token = (token_source or impersonated_token)(account)
    return RegistryLogin(host, TOKEN_USERNAME, token.value, token.expires_at)


def login_with_key(
    host: str, identity: Mapping[str, Any], credentials: Optional[Mapping[str, Any]]
) -> RegistryLogin:
    """Log in with the service-account key the stack exported as a secret."""
    _check_host(host)
    account = _service_account(host, identity)

    encoded = (credentials or {}).get("keyJsonBase64")
    if not encoded:
        raise LoginError(f"{host}: gcp-key login for {account} needs credentials with "
                         "keyJsonBase64 (pulumi stack output --show-secrets)")
    _check_key(host, account, encoded)
    return RegistryLogin(host, KEY_USERNAME, encoded)


def impersonated_token(account: str) -> AccessToken:
    """An access token for ``account``, minted with the caller's application-default login.

    The caller needs roles/iam.serviceAccountTokenCreator on the account, which the stack
    grants to its configured operator.
    """
    try:
        source, _ = google.auth.default(scopes=[CLOUD_PLATFORM_SCOPE])
        target = impersonated_credentials.Credentials(
            source_credentials=source,
            target_principal=account,
            target_scopes=[CLOUD_PLATFORM_SCOPE],
            lifetime=TOKEN_LIFETIME_SECONDS,
        )
        target.refresh(Request())
    except google.auth.exceptions.GoogleAuthError as error:
        reason = str(error).splitlines()[0] if str(error) else type(error).__name__
        raise LoginError(f"cannot impersonate {account}: {reason} (needs "
                         "gcloud auth application-default login and "
                         "roles/iam.serviceAccountTokenCreator on the account)") from error

    # google-auth keeps expiry as a naive UTC time.
    expires_at = target.expiry.replace(tzinfo=timezone.utc) if target.expiry else None
    return AccessToken(target.token, expires_at)


def _check_host(host: str) -> None:
    if host == "gcr.io" or host.endswith(".gcr.io"):
        raise LoginError(f"{host}: Container Registry hosts are refused; the stack exports an "
                         "Artifact Registry host LOCATION-docker.pkg.dev")
    if not re.fullmatch(HOST_PATTERN, host or ""):
        raise LoginError(f"{host}: not an Artifact Registry Docker host (LOCATION-docker.pkg.dev)")


def _service_account(host: str, identity: Mapping[str, Any]) -> str:
    account = (identity or {}).get("serviceAccount")
    if not account or "@" not in account:
        raise LoginError(f"{host}: the identity names no service account e-mail "
                         f"(serviceAccount={account!r})")
    return account


def _check_key(host: str, account: str, encoded: str) -> None:
    """A readable service-account key file for the account; its content is never echoed."""
    try:
        key_file = json.loads(base64.b64decode(encoded, validate=True))
    except (binascii.Error, ValueError):
        key_file = None

    if not isinstance(key_file, dict) or key_file.get("type") != "service_account":
        raise LoginError(f"{host}: the key for {account} is not base64 of a service-account "
                         "key file")
    if key_file.get("client_email") != account:
        raise LoginError(f"{host}: the key belongs to {key_file.get('client_email')!r}, "
                         f"not {account}")
