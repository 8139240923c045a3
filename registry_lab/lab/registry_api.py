"""Read manifests straight from a registry's HTTP API (distribution spec, /v2/).

The lab compares copies with this rather than by pulling: a HEAD of a manifest gives its digest
and spends no pull on Docker Hub, and a GET of a manifest gives the config digest (the image
ID) and counts as a pull there. Login follows the registry's challenge: Basic, or a Bearer
token fetched from the realm the WWW-Authenticate header names, as the clouds and Docker Hub
do. 429 and 5xx answers are retried a bounded number of times; every other failure is a typed
``LabFailure``.
"""

import base64
import email.utils
import hashlib
import re
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Callable, Dict, List, Optional, Tuple

import requests

from registry_lab.lab import failures

OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json"
OCI_INDEX = "application/vnd.oci.image.index.v1+json"
DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json"
DOCKER_MANIFEST_LIST = "application/vnd.docker.distribution.manifest.list.v2+json"
INDEX_TYPES = (OCI_INDEX, DOCKER_MANIFEST_LIST)
ACCEPT = ", ".join((OCI_MANIFEST, OCI_INDEX, DOCKER_MANIFEST, DOCKER_MANIFEST_LIST))

# Which image of a multi-platform index stands for the whole index in a comparison.
PLATFORM = {"os": "linux", "architecture": "amd64"}

LOOPBACK_PREFIXES = ("127.", "localhost", "[::1]")

# A content digest as a manifest names it; anything else is not asked for in a URL.
DIGEST = re.compile(r"[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-zA-Z0-9=_-]+")

# Retry-After delay seconds: str.isdigit() would also take '²' or Arabic-Indic digits.
ASCII_DIGITS = re.compile(r"[0-9]+")


@dataclass(frozen=True)
class Manifest:
    """A manifest as a registry serves it; ``body`` is None when only its HEAD was read."""

    digest: str
    media_type: str
    body: Optional[dict] = field(default=None, compare=False)

    @property
    def config_digest(self) -> str:
        return self.body["config"]["digest"]

    @property
    def layer_digests(self) -> Tuple[str, ...]:
        return tuple(layer["digest"] for layer in self.body.get("layers", ()))


@dataclass(frozen=True)
class RetryPolicy:
    """How often and how long to wait on 429 and 5xx answers."""

    attempts: int = 4
    first_backoff: float = 1.0
    max_wait: float = 30.0


class RegistryClient:
    """Reads one registry's manifests, logged in as one identity (or anonymously)."""

    def __init__(self, host: str, username: Optional[str] = None,
                 password: Optional[str] = None, ca_file: Optional[str] = None,
                 scheme: str = "https", retry: RetryPolicy = RetryPolicy(),
                 timeout: float = 10.0, sleep: Callable[[float], None] = time.sleep):
        self.host = host
        self.base_url = f"{scheme}://{host}"
        self._credentials = (username, password) if username and password else None
        self._verify = ca_file or True
        self._retry = retry
        self._timeout = timeout
        self._sleep = sleep
        self._session = requests.Session()
        # A proxy from the environment must not carry loopback traffic (or its credentials).
        self._session.trust_env = not host.startswith(LOOPBACK_PREFIXES)
        self._authorization: Dict[str, str] = {}

    def head_manifest(self, repository: str, reference: str) -> Manifest:
        """The manifest's digest and type, from a HEAD; a GET when the HEAD lacks the digest."""
        response = self._request("HEAD", repository, reference)
        digest = response.headers.get("Docker-Content-Digest")
        if not digest:
            # Some registries omit the header on HEAD; the body's hash is the digest then.
            return self.get_manifest(repository, reference)
        return Manifest(digest, _media_type(response))

    def get_manifest(self, repository: str, reference: str) -> Manifest:
        """The manifest with its body; its digest is the hash of the bytes served."""
        response = self._request("GET", repository, reference)
        digest = "sha256:" + hashlib.sha256(response.content).hexdigest()
        where = self._where(repository, reference)
        try:
            body = response.json()
        except (ValueError, RecursionError):
            raise failures.ServerError(f"{where}: the manifest is not JSON") from None
        if not isinstance(body, dict):
            raise unexpected(where, "it is not a JSON object")
        media_type = body.get("mediaType") or _media_type(response)
        if not isinstance(media_type, str):
            raise unexpected(where, "its mediaType is not text")

        manifest = Manifest(digest, media_type, body)
        if media_type in INDEX_TYPES:
            _check_index(manifest, where)
        else:
            _check_image(manifest, where)
        return manifest

    def image_manifest(self, repository: str, reference: str) -> Tuple[Manifest, Manifest]:
        """The manifest at ``reference`` and the image manifest that holds the config.

        They are the same manifest unless ``reference`` is an index, whose linux/amd64 image
        (or its first, when none matches) stands for it.
        """
        top = self.get_manifest(repository, reference)
        if top.media_type not in INDEX_TYPES:
            return top, top
        entries = top.body.get("manifests") or []
        if not entries:
            raise failures.NotFound(f"{self._where(repository, reference)}: the index is empty")
        chosen = next((entry for entry in entries
                       if all((entry.get("platform") or {}).get(key) == value
                              for key, value in PLATFORM.items())), entries[0])
        image = self.get_manifest(repository, chosen["digest"])
        if image.media_type in INDEX_TYPES:
            raise unexpected(self._where(repository, chosen["digest"]),
                             "an index inside an index")
        return top, image

    def _request(self, method: str, repository: str, reference: str) -> requests.Response:
        url = f"{self.base_url}/v2/{repository}/manifests/{reference}"
        where = self._where(repository, reference)
        challenged = False
        attempt = 0
        while True:
            attempt += 1
            response = self._send(method, url, repository, where)

            if response.status_code == 401 and not challenged:
                # The first 401 is the challenge that says how to log in; answer it once.
                challenged = True
                attempt -= 1
                self._answer_challenge(response, repository, where)
                continue

            status = response.status_code
            if (status == 429 or status >= 500) and attempt < self._retry.attempts:
                self._sleep(self._wait(response, attempt))
                continue
            return self._checked(response, where, attempt)

    def _send(self, method: str, url: str, repository: str, where: str) -> requests.Response:
        headers = {"Accept": ACCEPT}
        if repository in self._authorization:
            headers["Authorization"] = self._authorization[repository]
        try:
            return self._session.request(method, url, headers=headers, verify=self._verify,
                                         timeout=self._timeout, allow_redirects=True)
        except requests.exceptions.SSLError as error:
            raise failures.Unreachable(
                f"{where}: the registry's TLS certificate is not trusted ({_reason(error)})"
            ) from None
        except (requests.exceptions.ConnectionError, requests.exceptions.Timeout) as error:
            raise failures.Unreachable(
                f"{where}: the registry is unreachable ({_reason(error)})") from None

    def _answer_challenge(self, response: requests.Response, repository: str,
                          where: str) -> None:
        scheme, parameters = parse_challenge(response.headers.get("WWW-Authenticate", ""))
        if scheme == "basic" and self._credentials:
            token = base64.b64encode(":".join(self._credentials).encode()).decode()
            self._authorization[repository] = f"Basic {token}"
        elif scheme == "bearer" and parameters.get("realm"):
            self._authorization[repository] = "Bearer " + self._bearer_token(
                parameters, repository, where)
        elif not self._credentials:
            raise failures.Unauthorized(f"{where}: unauthorized (401): the registry wants a "
                                        "login and none was given")
        else:
            raise failures.Unauthorized(f"{where}: unauthorized (401): the registry's challenge "
                                        f"{scheme or 'none'!r} is not Basic or Bearer")

    def _bearer_token(self, challenge: Dict[str, str], repository: str, where: str) -> str:
        query = {"scope": challenge.get("scope") or f"repository:{repository}:pull"}
        if challenge.get("service"):
            query["service"] = challenge["service"]
        try:
            answer = self._session.get(challenge["realm"], params=query, auth=self._credentials,
                                       verify=self._verify, timeout=self._timeout)
        except requests.exceptions.RequestException as error:
            raise failures.Unreachable(
                f"{where}: the token service is unreachable ({_reason(error)})") from None
        if answer.status_code in (401, 403):
            raise failures.Unauthorized(f"{where}: unauthorized ({answer.status_code}): the "
                                        "token service refused the credentials")
        if answer.status_code != 200:
            raise failures.ServerError(f"{where}: the token service answered "
                                       f"{answer.status_code}")
        token = token_in(answer)
        if not token:
            raise failures.ServerError(f"{where}: the token service gave no token")
        return token

    def _wait(self, response: requests.Response, attempt: int) -> float:
        backoff = self._retry.first_backoff * 2 ** (attempt - 1)
        if response.status_code == 429:
            backoff = retry_after(response.headers.get("Retry-After"), default=backoff)
        return min(backoff, self._retry.max_wait)

    def _checked(self, response: requests.Response, where: str,
                 attempt: int) -> requests.Response:
        status = response.status_code
        if status < 300:
            return response
        tries = f"after {attempt} attempts" if attempt > 1 else "on the first attempt"
        if status == 401:
            raise failures.Unauthorized(f"{where}: unauthorized (401): the login was refused")
        if status == 403:
            raise failures.Denied(f"{where}: denied (403){_error_code(response)}")
        if status == 404:
            raise failures.NotFound(f"{where}: not found (404){_error_code(response)}")
        if status == 429:
            raise failures.RateLimited(f"{where}: rate limited (429) {tries}")
        if status >= 500:
            raise failures.ServerError(f"{where}: server error ({status}) {tries}")
        raise failures.ServerError(f"{where}: unexpected answer {status}")

    def _where(self, repository: str, reference: str) -> str:
        separator = "@" if reference.startswith("sha256:") else ":"
        return f"{self.host}/{repository}{separator}{reference}"


def token_in(answer: requests.Response) -> Optional[str]:
    """The bearer token a token service's answer holds (``token``, else ``access_token``).

    None when the answer is not a JSON object holding a printable text token.
    """
    try:
        document = answer.json()
    except (ValueError, RecursionError):
        return None
    if not isinstance(document, dict):
        return None
    token = document.get("token") or document.get("access_token")
    return token if isinstance(token, str) and token.isprintable() else None


def unexpected(where: str, why: str) -> failures.ServerError:
    """A manifest that is not the shape the distribution spec gives one."""
    return failures.ServerError(f"{where}: unexpected manifest: {why}")


def _check_image(manifest: Manifest, where: str) -> None:
    config = manifest.body.get("config")
    if not isinstance(config, dict) or not _is_digest(config.get("digest")):
        raise unexpected(where, "it has no config with a digest (the image ID)")
    layers = manifest.body.get("layers", [])
    if not isinstance(layers, list) or not all(
            isinstance(layer, dict) and _is_digest(layer.get("digest")) for layer in layers):
        raise unexpected(where, "its layers are not a list of objects with digests")


def _check_index(manifest: Manifest, where: str) -> None:
    entries = manifest.body.get("manifests")
    if entries is None:
        return
    if not isinstance(entries, list) or not all(
            isinstance(entry, dict) and _is_digest(entry.get("digest"))
            and isinstance(entry.get("platform") or {}, dict) for entry in entries):
        raise unexpected(where, "its manifests are not a list of objects with digests")


def _is_digest(value: object) -> bool:
    return isinstance(value, str) and DIGEST.fullmatch(value) is not None


def split_reference(image_ref: str, registry_host: str) -> Tuple[str, str]:
    """``HOST/REPOSITORY:TAG`` as (repository, tag), for the contract's registry host."""
    remainder = image_ref[len(registry_host) + 1:] if image_ref.startswith(
        registry_host + "/") else image_ref.split("/", 1)[-1]
    repository, _, tag = remainder.rpartition(":")
    return repository, tag


def parse_challenge(header: str) -> Tuple[str, Dict[str, str]]:
    """A WWW-Authenticate header as (scheme in lowercase, its quoted parameters)."""
    scheme, _, rest = header.strip().partition(" ")
    parameters = dict(re.findall(r'(\w+)="([^"]*)"', rest))
    return scheme.lower(), parameters


def retry_after(value: Optional[str], default: float,
                now: Optional[datetime] = None) -> float:
    """Seconds to wait from a Retry-After header: delay seconds or an HTTP date (RFC 9110).

    Anything else (a negative number, digits that are not ASCII, a date that does not parse)
    gives ``default``: a broken header never stops the lab.
    """
    if not value:
        return default
    value = value.strip()
    if ASCII_DIGITS.fullmatch(value):
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return default
    return max(0.0, (_in_utc(when) - _in_utc(now or datetime.now(timezone.utc))).total_seconds())


def _in_utc(moment: datetime) -> datetime:
    # HTTP dates are UTC; the obsolete formats (and "-0000") parse without a zone.
    if moment.tzinfo is None:
        return moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc)


def _media_type(response: requests.Response) -> str:
    return response.headers.get("Content-Type", "").split(";")[0].strip()


def _error_code(response: requests.Response) -> str:
    """The distribution error codes in a body, e.g. ': DENIED', or nothing."""
    try:
        codes: List[str] = [error.get("code", "") for error in response.json().get("errors", [])]
    except (ValueError, AttributeError):
        return ""
    codes = [code for code in codes if code]
    return f": {', '.join(codes)}" if codes else ""


def _reason(error: Exception) -> str:
    text = str(error)
    for marker in ("Connection refused", "timed out", "Name or service not known",
                   "CERTIFICATE_VERIFY_FAILED", "No route to host"):
        if marker in text:
            return marker
    return text if len(text) <= 200 else text[:197] + "..."
