"""ECR logins: a registry token for the registry's own region, fresh enough to finish a push.

Three login methods of the contract end here:
  ecr-token        the caller's own AWS credentials fetch the token (the push identity)
  ecr-assume-role  the caller's credentials assume the exported pull-only role first
  ecr-access-key   the exported access key of the pull-only user fetches it directly: the user
                   holds the pull-only policy itself (for places that cannot assume a role), so
                   the identity's roleArn is not used

The region always comes from the registry host (ACCOUNT.dkr.ecr.REGION.amazonaws.com, also the
ecr-fips and amazonaws.com.cn forms): an ECR token works in one region only. The identity's
region and registryId must agree with the host, which catches a contract pieced together from
two stacks before any request is sent.

Tokens last 12 hours. ``EcrLogins`` keeps them and fetches a new one whenever the one it holds
expires within the refresh margin, so a push never starts on a token about to lapse.
"""

import base64
import binascii
import logging
import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any, Callable, Dict, Mapping, Optional, Tuple

import boto3
from botocore.exceptions import BotoCoreError, ClientError, NoCredentialsError

from registry_lab.lab.login import LoginError, RegistryLogin
from registry_lab.lab.text import one_line

log = logging.getLogger(__name__)

METHODS = ("ecr-token", "ecr-assume-role", "ecr-access-key")

REGISTRY_HOST = re.compile(
    r"(?P<account>\d{12})\.dkr\.ecr(?:-fips)?\."
    r"(?P<region>[a-z]{2}(?:-[a-z]+)+-\d+)\.amazonaws\.com(?:\.cn)?"
)
HOST_RULE = "must be an ECR registry host such as 123456789012.dkr.ecr.eu-west-1.amazonaws.com"

# Shows up in CloudTrail as the session of every pull-only login the lab makes.
SESSION_NAME = "registry-lab-pull-only"

# A push of a large image can take a while; never start one on a token this close to expiry.
REFRESH_MARGIN = timedelta(minutes=30)

# A cached login is found by host, method, role and access key id: never by a secret.
CacheKey = Tuple[str, str, str, str]

ClientFactory = Callable[[str, str, Optional[Dict[str, str]]], Any]


def boto3_client(service: str, region: str, credentials: Optional[Dict[str, str]] = None):
    """A boto3 client in ``region``; credentials (boto3 keyword names) or the default chain."""
    return boto3.session.Session().client(service, region_name=region, **(credentials or {}))


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


@dataclass(frozen=True)
class EcrRegistry:
    host: str
    account: str
    region: str


def registry_of(host: str) -> EcrRegistry:
    """The account and region an ECR registry host names; LoginError for any other host."""
    match = REGISTRY_HOST.fullmatch(host.lower())
    if match is None:
        raise LoginError(f"registryHost={host!r}: {HOST_RULE}")
    return EcrRegistry(host=host, account=match["account"], region=match["region"])


def check_identity(registry: EcrRegistry, identity: Mapping[str, Any]) -> None:
    """The identity must name the same region and account as the registry host."""
    method = identity.get("method")
    region = identity.get("region")
    if region != registry.region:
        raise LoginError(
            f"{registry.host}: {method} identity region={region!r} does not match the "
            f"registry's region {registry.region!r} (an ECR token works in one region only)"
        )

    registry_id = identity.get("registryId")
    if registry_id is not None and str(registry_id) != registry.account:
        raise LoginError(
            f"{registry.host}: {method} identity registryId={registry_id!r} does not match "
            f"the registry's account {registry.account!r}"
        )

    if method == "ecr-assume-role" and not identity.get("roleArn"):
        raise LoginError(f"{registry.host}: ecr-assume-role identity has no roleArn")


def access_key_of(host: str, credentials: Optional[Mapping[str, Any]]) -> Dict[str, str]:
    if not credentials or not credentials.get("accessKeyId") or not credentials.get(
        "secretAccessKey"
    ):
        raise LoginError(
            f"{host}: ecr-access-key login needs credentials with accessKeyId and "
            "secretAccessKey"
        )
    return {
        "aws_access_key_id": credentials["accessKeyId"],
        "aws_secret_access_key": credentials["secretAccessKey"],
    }


def decode_token(host: str, token: str) -> Tuple[str, str]:
    """ECR's token is base64 of "AWS:password"; the username and password inside it."""
    try:
        username, separator, password = base64.b64decode(token, validate=True).decode(
            "utf-8"
        ).partition(":")
    except (binascii.Error, UnicodeDecodeError):
        raise LoginError(f"{host}: the ECR authorization token is not base64 text") from None
    if not separator or not username or not password:
        raise LoginError(f"{host}: the ECR authorization token is not USER:PASSWORD")
    return username, password


EXPIRED_CODES = ("ExpiredToken", "ExpiredTokenException", "RequestExpired")


def aws_call(host: str, action: str, call: Callable[[], Any]) -> Any:
    """Run one AWS request; any failure becomes a one-line LoginError naming the registry."""
    try:
        return call()
    except ClientError as error:
        details = error.response.get("Error", {})
        code = details.get("Code", "Unknown")
        hint = " (refresh your AWS credentials)" if code in EXPIRED_CODES else ""
        raise LoginError(
            f"{host}: {action} was refused: {code}: {one_line(details.get('Message', ''))}"
            f"{hint}"
        ) from error
    except NoCredentialsError as error:
        raise LoginError(
            f"{host}: {action} needs AWS credentials and found none (set AWS_PROFILE, or "
            "run aws configure or aws sso login)"
        ) from error
    except BotoCoreError as error:
        raise LoginError(f"{host}: {action} failed: {one_line(error)}") from error


class EcrLogins:
    """Makes ECR logins and keeps each until it comes within ``refresh_margin`` of expiry.

    ``client_factory(service, region, credentials)`` makes the boto3 clients (tests pass
    stubbed ones); ``clock()`` returns the current time, timezone-aware.
    """

    def __init__(
        self,
        client_factory: ClientFactory = boto3_client,
        clock: Callable[[], datetime] = utc_now,
        refresh_margin: timedelta = REFRESH_MARGIN,
    ):
        self._client_factory = client_factory
        self._clock = clock
        self._refresh_margin = refresh_margin
        self._cache: Dict[CacheKey, RegistryLogin] = {}

    def __repr__(self) -> str:
        return f"EcrLogins(cached={len(self._cache)}, refresh_margin={self._refresh_margin})"

    def login(
        self,
        host: str,
        identity: Mapping[str, Any],
        credentials: Optional[Mapping[str, Any]] = None,
    ) -> RegistryLogin:
        """A login for ``host`` as ``identity``: the cached one while fresh, else a new one."""
        method = identity.get("method")
        if method not in METHODS:
            known = ", ".join(METHODS)
            raise LoginError(f"{host}: login method {method!r} is not one of {known}")

        registry = registry_of(host)
        check_identity(registry, identity)
        access_key = access_key_of(host, credentials) if method == "ecr-access-key" else None

        key = (
            host,
            method,
            identity.get("roleArn") or "",
            access_key["aws_access_key_id"] if access_key else "",
        )
        cached = self._cache.get(key)
        if cached is not None and self._fresh(cached):
            return cached

        fresh = self._fetch(registry, identity, access_key)
        self._cache[key] = fresh
        return fresh

    def _fresh(self, login: RegistryLogin) -> bool:
        return login.expires_at is not None and (
            self._clock() + self._refresh_margin < login.expires_at
        )

    def _fetch(
        self,
        registry: EcrRegistry,
        identity: Mapping[str, Any],
        access_key: Optional[Dict[str, str]],
    ) -> RegistryLogin:
        credentials = access_key
        session_expires_at = None
        if identity["method"] == "ecr-assume-role":
            credentials, session_expires_at = self._assume_role(registry, identity["roleArn"])

        ecr = self._client_factory("ecr", registry.region, credentials)
        answer = aws_call(
            registry.host, "ecr:GetAuthorizationToken", ecr.get_authorization_token
        )
        data = (answer.get("authorizationData") or [None])[0]
        if not data or not data.get("authorizationToken") or not data.get("expiresAt"):
            raise LoginError(f"{registry.host}: ecr:GetAuthorizationToken returned no token")
        username, password = decode_token(registry.host, data["authorizationToken"])

        # A token fetched with role credentials is treated as lasting no longer than the role
        # session; refreshing early costs one request, a token that lapses mid-push costs a push.
        expires_at = data["expiresAt"]
        if session_expires_at is not None:
            expires_at = min(expires_at, session_expires_at)

        log.info(
            "ECR token for %s (%s) valid until %s",
            registry.host,
            identity["method"],
            expires_at.isoformat(),
        )
        return RegistryLogin(registry.host, username, password, expires_at)

    def _assume_role(
        self, registry: EcrRegistry, role_arn: str
    ) -> Tuple[Dict[str, str], datetime]:
        """Short-lived credentials of the role, assumed with the caller's own credentials."""
        sts = self._client_factory("sts", registry.region, None)
        answer = aws_call(
            registry.host,
            f"sts:AssumeRole on {role_arn}",
            lambda: sts.assume_role(RoleArn=role_arn, RoleSessionName=SESSION_NAME),
        )
        role_credentials = answer["Credentials"]
        credentials = {
            "aws_access_key_id": role_credentials["AccessKeyId"],
            "aws_secret_access_key": role_credentials["SecretAccessKey"],
            "aws_session_token": role_credentials["SessionToken"],
        }
        return credentials, role_credentials["Expiration"]


# The lab's logins share one cache, so every login_for in a run reuses fresh tokens.
LOGINS = EcrLogins()


def login(
    host: str, identity: Mapping[str, Any], credentials: Optional[Mapping[str, Any]]
) -> RegistryLogin:
    return LOGINS.login(host, identity, credentials)
