"""Docker Hub's pull rate limit, read without spending a pull.

A pull token for Docker Hub's preview repository comes from the auth service (anonymous, or
as DOCKERHUB_USERNAME with DOCKERHUB_TOKEN when both are set); then a HEAD of that repository's
manifest brings the headers:

  ratelimit-limit: 100;w=21600       pulls allowed per window; w= is the window in seconds
  ratelimit-remaining: 76;w=21600    pulls left in the current window
  docker-ratelimit-source: ...       what the limit is counted against (an IP or an account)

Only a GET of a manifest counts as a pull; a HEAD does not, so this never spends one. Accounts
without a pull limit get no such headers: a missing header means unknown or unlimited and is
reported as not reported, never as zero.
"""

import re
from dataclasses import dataclass
from typing import Mapping, Optional, Tuple

import requests

from registry_lab.lab import exit_codes
from registry_lab.lab.registry_api import token_in
from registry_lab.lab.text import one_line

AUTH_URL = "https://auth.docker.io/token"
REGISTRY_URL = "https://registry-1.docker.io"
AUTH_SERVICE = "registry.docker.io"
PREVIEW_REPOSITORY = "ratelimitpreview/test"

# Ask for any manifest form, so the registry never answers 404 for a list-only tag.
MANIFEST_TYPES = ", ".join((
    "application/vnd.oci.image.index.v1+json",
    "application/vnd.oci.image.manifest.v1+json",
    "application/vnd.docker.distribution.manifest.list.v2+json",
    "application/vnd.docker.distribution.manifest.v2+json",
))

TIMEOUT_SECONDS = 15

# "100;w=21600": a count, then parameters; only w= (the window, seconds) is used.
QUOTA = re.compile(r"\s*(\d+)\s*((?:;\s*[a-z-]+=[^;,]*)*)\s*")
WINDOW = re.compile(r";\s*w=(\d+)")

USERNAME_VARIABLE = "DOCKERHUB_USERNAME"
TOKEN_VARIABLE = "DOCKERHUB_TOKEN"


class RateLimitError(Exception):
    """The rate limit could not be read; the message is one line saying where and why.

    ``exit_code`` is the lab's code for the cause: incomplete settings are a contract's
    (CONTRACT), then UNREACHABLE, UNAUTHORIZED, or SERVER_ERROR for an unexpected answer.
    """

    def __init__(self, message: str, exit_code: int = exit_codes.SERVER_ERROR):
        super().__init__(message)
        self.exit_code = exit_code


@dataclass(frozen=True)
class Quota:
    count: int
    # None when the header carries no w= parameter.
    window_seconds: Optional[int]


@dataclass(frozen=True)
class RateLimit:
    # None: the header was absent, meaning unknown or unlimited (never zero).
    limit: Optional[Quota]
    remaining: Optional[Quota]
    source: Optional[str]
    # The Docker Hub user the limit was read as; None for anonymous.
    username: Optional[str]
    # 429 when Docker Hub already refuses this caller; the headers still say why.
    status: int

    @property
    def window_seconds(self) -> Optional[int]:
        for quota in (self.limit, self.remaining):
            if quota is not None and quota.window_seconds is not None:
                return quota.window_seconds
        return None

    @property
    def reported(self) -> bool:
        return self.limit is not None or self.remaining is not None

    def as_json(self) -> dict:
        window = self.window_seconds
        return {
            "reported": self.reported,
            "limit": self.limit.count if self.limit else None,
            "remaining": self.remaining.count if self.remaining else None,
            "windowSeconds": window,
            "windowHours": hours(window) if window is not None else None,
            "source": self.source,
            "username": self.username,
            "status": self.status,
        }


def hours(seconds: int):
    """Seconds as hours: a whole number when it is one (21600 -> 6), else two decimals."""
    value = seconds / 3600
    return int(value) if value.is_integer() else round(value, 2)


def parse_quota(name: str, value: Optional[str]) -> Optional[Quota]:
    """A ratelimit header as a Quota; None when absent; RateLimitError when malformed."""
    if value is None:
        return None
    match = QUOTA.fullmatch(value)
    if match is None:
        raise RateLimitError(f"header {name}: {value!r} is not COUNT;w=SECONDS")
    window = WINDOW.search(match[2])
    return Quota(int(match[1]), int(window[1]) if window else None)


def hub_credentials(environ: Mapping[str, str]) -> Optional[Tuple[str, str]]:
    """DOCKERHUB_USERNAME and DOCKERHUB_TOKEN from ``environ``: both, or neither for anonymous."""
    username = environ.get(USERNAME_VARIABLE) or None
    token = environ.get(TOKEN_VARIABLE) or None
    if username and token:
        return username, token
    if username:
        raise RateLimitError(
            f"{TOKEN_VARIABLE} is not set but {USERNAME_VARIABLE} is: set both to read the "
            "account's limit, or neither for the anonymous one",
            exit_codes.CONTRACT,
        )
    if token:
        raise RateLimitError(
            f"{USERNAME_VARIABLE} is not set but {TOKEN_VARIABLE} is: set both to read the "
            "account's limit, or neither for the anonymous one",
            exit_codes.CONTRACT,
        )
    return None


def pull_token(
    session: requests.Session,
    auth_url: str,
    credentials: Optional[Tuple[str, str]],
) -> str:
    """A pull token for the preview repository from Docker Hub's auth service."""
    params = {"service": AUTH_SERVICE, "scope": f"repository:{PREVIEW_REPOSITORY}:pull"}
    try:
        answer = session.get(auth_url, params=params, auth=credentials, timeout=TIMEOUT_SECONDS)
    except requests.RequestException as error:
        raise RateLimitError(f"{auth_url}: unreachable: {one_line(error)}",
                             exit_codes.UNREACHABLE) from error

    if answer.status_code == 401 and credentials:
        raise RateLimitError(
            f"{auth_url}: HTTP 401: the auth service refused {USERNAME_VARIABLE}="
            f"{credentials[0]!r} with {TOKEN_VARIABLE} (check the access token)",
            exit_codes.UNAUTHORIZED,
        )
    if answer.status_code != 200:
        raise RateLimitError(f"{auth_url}: HTTP {answer.status_code} for a pull token")

    token = token_in(answer)
    if not token:
        raise RateLimitError(f"{auth_url}: the answer holds no token")
    return token


def read_rate_limit(
    auth_url: str = AUTH_URL,
    registry_url: str = REGISTRY_URL,
    credentials: Optional[Tuple[str, str]] = None,
) -> RateLimit:
    """Read the pull rate limit that applies to this caller, with a HEAD (spends no pull)."""
    manifest_url = f"{registry_url.rstrip('/')}/v2/{PREVIEW_REPOSITORY}/manifests/latest"
    with requests.Session() as session:
        token = pull_token(session, auth_url, credentials)
        try:
            answer = session.head(
                manifest_url,
                headers={"Authorization": f"Bearer {token}", "Accept": MANIFEST_TYPES},
                timeout=TIMEOUT_SECONDS,
                allow_redirects=False,
            )
        except requests.RequestException as error:
            raise RateLimitError(f"{manifest_url}: unreachable: {one_line(error)}",
                                 exit_codes.UNREACHABLE) from error

    if answer.status_code not in (200, 429):
        raise RateLimitError(f"{manifest_url}: HTTP {answer.status_code} for HEAD")

    return RateLimit(
        limit=parse_quota("ratelimit-limit", answer.headers.get("ratelimit-limit")),
        remaining=parse_quota("ratelimit-remaining", answer.headers.get("ratelimit-remaining")),
        source=answer.headers.get("docker-ratelimit-source"),
        username=credentials[0] if credentials else None,
        status=answer.status_code,
    )
