"""The registry API client against fake registries on 127.0.0.1: auth, retries, errors."""

import base64
import hashlib
import json
import socket
from datetime import datetime, timezone

import pytest

from registry_lab.lab import exit_codes, failures
from registry_lab.lab.registry_api import (
    DOCKER_MANIFEST, OCI_INDEX, OCI_MANIFEST, RegistryClient, RetryPolicy, parse_challenge,
    retry_after, split_reference)
from tests.unit.fake_registry import FakeRegistry

MANIFEST = json.dumps({
    "schemaVersion": 2,
    "mediaType": OCI_MANIFEST,
    "config": {"mediaType": "application/vnd.oci.image.config.v1+json",
               "digest": "sha256:" + "c" * 64, "size": 10},
    "layers": [{"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip",
                "digest": "sha256:" + "1" * 64, "size": 20}],
}).encode()
MANIFEST_DIGEST = "sha256:" + hashlib.sha256(MANIFEST).hexdigest()
MANIFEST_PATH = "/v2/registry-lab/demo/manifests/v1"


def manifest(headers=None):
    return 200, {"Content-Type": OCI_MANIFEST, "Docker-Content-Digest": MANIFEST_DIGEST,
                 **(headers or {})}, MANIFEST


def client(registry, sleeps=None, **options):
    return RegistryClient(registry.host, "pusher", "pw", scheme="http",
                          sleep=(sleeps.append if sleeps is not None else lambda _: None),
                          **options)


def test_head_reads_the_digest_with_docker_and_oci_accept_headers():
    with FakeRegistry(lambda seen: manifest()) as registry:
        head = RegistryClient(registry.host, scheme="http").head_manifest("registry-lab/demo",
                                                                           "v1")

    assert head.digest == MANIFEST_DIGEST
    assert head.media_type == OCI_MANIFEST
    assert [seen.method for seen in registry.seen] == ["HEAD"]
    accept = registry.seen[0].headers["Accept"]
    for media_type in (OCI_MANIFEST, OCI_INDEX, DOCKER_MANIFEST,
                       "application/vnd.docker.distribution.manifest.list.v2+json"):
        assert media_type in accept


def test_a_basic_challenge_is_answered_with_the_credentials():
    expected = "Basic " + base64.b64encode(b"pusher:pw").decode()

    def answer(seen):
        if seen.headers.get("Authorization") != expected:
            return 401, {"WWW-Authenticate": 'Basic realm="registry"'}, b""
        return manifest()

    with FakeRegistry(answer) as registry:
        head = client(registry).head_manifest("registry-lab/demo", "v1")

    assert head.digest == MANIFEST_DIGEST
    assert len(registry.seen) == 2


def test_a_bearer_challenge_fetches_a_token_from_the_realm_with_service_and_scope():
    def answer(seen):
        if seen.path.startswith("/token"):
            assert seen.headers["Authorization"] == "Basic " + base64.b64encode(
                b"pusher:pw").decode()
            return 200, {"Content-Type": "application/json"}, b'{"token": "tok-123"}'
        if seen.headers.get("Authorization") != "Bearer tok-123":
            realm = f"http://{registry.host}/token"
            return 401, {"WWW-Authenticate": f'Bearer realm="{realm}",service="lab",'
                                             f'scope="repository:registry-lab/demo:pull"'}, b""
        return manifest()

    with FakeRegistry(answer) as registry:
        head = client(registry).head_manifest("registry-lab/demo", "v1")

    assert head.digest == MANIFEST_DIGEST
    token_request = [seen for seen in registry.seen if seen.path.startswith("/token")][0]
    assert "service=lab" in token_request.path
    assert "scope=repository%3Aregistry-lab%2Fdemo%3Apull" in token_request.path


def test_wrong_credentials_are_unauthorized():
    with FakeRegistry(lambda seen: (401, {"WWW-Authenticate": 'Basic realm="r"'}, b"")) as reg:
        with pytest.raises(failures.Unauthorized) as error:
            client(reg).head_manifest("registry-lab/demo", "v1")

    assert str(error.value) == (f"{reg.host}/registry-lab/demo:v1: unauthorized (401): "
                                "the login was refused")
    assert error.value.exit_code == exit_codes.UNAUTHORIZED


def test_a_403_is_denied_with_the_registrys_error_code():
    body = b'{"errors":[{"code":"DENIED","message":"pull-only"}]}'
    with FakeRegistry(lambda seen: (403, {"Content-Type": "application/json"}, body)) as reg:
        with pytest.raises(failures.Denied, match=r"denied \(403\): DENIED$"):
            client(reg).get_manifest("registry-lab/demo", "v1")


def test_a_missing_manifest_is_not_found():
    body = b'{"errors":[{"code":"MANIFEST_UNKNOWN"}]}'
    with FakeRegistry(lambda seen: (404, {}, body)) as registry:
        with pytest.raises(failures.NotFound, match=r"not found \(404\): MANIFEST_UNKNOWN"):
            client(registry).get_manifest("registry-lab/demo", "v1")


def test_429_waits_as_retry_after_says_then_succeeds():
    answers = iter([(429, {"Retry-After": "7"}, b""), (429, {"Retry-After": "2"}, b"")])
    sleeps = []
    with FakeRegistry(lambda seen: next(answers, None) or manifest()) as registry:
        head = client(registry, sleeps).head_manifest("registry-lab/demo", "v1")

    assert head.digest == MANIFEST_DIGEST
    assert sleeps == [7.0, 2.0]


def test_a_long_retry_after_is_capped_and_retries_are_bounded():
    sleeps = []
    with FakeRegistry(lambda seen: (429, {"Retry-After": "3600"}, b"")) as registry:
        with pytest.raises(failures.RateLimited) as error:
            client(registry, sleeps, retry=RetryPolicy(attempts=3, max_wait=5)).head_manifest(
                "registry-lab/demo", "v1")

    assert sleeps == [5, 5]
    assert len(registry.seen) == 3
    assert "rate limited (429) after 3 attempts" in str(error.value)
    assert error.value.exit_code == exit_codes.RATE_LIMITED


def test_server_errors_back_off_exponentially_then_give_up():
    sleeps = []
    with FakeRegistry(lambda seen: (503, {}, b"")) as registry:
        with pytest.raises(failures.ServerError, match=r"server error \(503\) after 4 attempts"):
            client(registry, sleeps).head_manifest("registry-lab/demo", "v1")

    assert sleeps == [1.0, 2.0, 4.0]
    assert len(registry.seen) == 4


def test_a_server_error_that_passes_is_retried_to_success():
    answers = iter([(502, {}, b"")])
    with FakeRegistry(lambda seen: next(answers, None) or manifest()) as registry:
        assert client(registry).get_manifest("registry-lab/demo", "v1").digest == MANIFEST_DIGEST


def test_a_closed_port_is_unreachable_at_once():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        host = f"127.0.0.1:{probe.getsockname()[1]}"
    sleeps = []

    with pytest.raises(failures.Unreachable) as error:
        RegistryClient(host, scheme="http", sleep=sleeps.append).head_manifest("r/demo", "v1")

    assert str(error.value) == (f"{host}/r/demo:v1: the registry is unreachable "
                                "(Connection refused)")
    assert sleeps == []


def test_an_untrusted_certificate_is_unreachable_with_the_reason():
    with FakeRegistry(lambda seen: manifest()) as registry:
        with pytest.raises(failures.Unreachable, match="TLS"):
            # A plain-HTTP server spoken to over HTTPS fails the TLS handshake.
            RegistryClient(registry.host).head_manifest("registry-lab/demo", "v1")


def test_a_head_without_a_digest_header_falls_back_to_hashing_the_body():
    def answer(seen):
        return 200, {"Content-Type": OCI_MANIFEST}, MANIFEST

    with FakeRegistry(answer) as registry:
        head = client(registry).head_manifest("registry-lab/demo", "v1")

    assert head.digest == MANIFEST_DIGEST
    assert [seen.method for seen in registry.seen] == ["HEAD", "GET"]


def test_an_index_stands_for_its_linux_amd64_image():
    index = json.dumps({"schemaVersion": 2, "mediaType": OCI_INDEX, "manifests": [
        {"digest": "sha256:" + "a" * 64, "platform": {"os": "linux", "architecture": "arm64"}},
        {"digest": MANIFEST_DIGEST, "platform": {"os": "linux", "architecture": "amd64"}},
    ]}).encode()

    def answer(seen):
        if seen.path.endswith(MANIFEST_DIGEST):
            return manifest()
        return 200, {"Content-Type": OCI_INDEX}, index

    with FakeRegistry(answer) as registry:
        top, image = client(registry).image_manifest("registry-lab/demo", "v1")

    assert top.media_type == OCI_INDEX
    assert top.digest == "sha256:" + hashlib.sha256(index).hexdigest()
    assert image.digest == MANIFEST_DIGEST
    assert image.config_digest == "sha256:" + "c" * 64


def test_challenges_and_references_are_parsed():
    assert parse_challenge('Bearer realm="https://auth.example/token",service="reg",'
                           'scope="repository:a/b:pull"') == (
        "bearer", {"realm": "https://auth.example/token", "service": "reg",
                   "scope": "repository:a/b:pull"})
    assert split_reference("127.0.0.1:5000/registry-lab/demo:v1", "127.0.0.1:5000") == (
        "registry-lab/demo", "v1")


def test_retry_after_reads_seconds_and_http_dates():
    now = datetime(2026, 1, 1, 12, 0, 0, tzinfo=timezone.utc)

    assert retry_after("12", default=1.0) == 12.0
    assert retry_after("Thu, 01 Jan 2026 12:00:30 GMT", default=1.0, now=now) == 30.0
    assert retry_after("soon", default=1.5) == 1.5
    assert retry_after(None, default=2.0) == 2.0
