"""Registries that answer oddly: one failure line, never a traceback (fakes on 127.0.0.1)."""

import json
from datetime import datetime, timedelta, timezone

import pytest

from registry_lab.lab import exit_codes, failures
from registry_lab.lab.registry_api import (
    OCI_INDEX, OCI_MANIFEST, RegistryClient, RetryPolicy, retry_after)
from tests.unit.fake_registry import FakeRegistry

NOW = datetime(2026, 1, 1, 12, 0, 0, tzinfo=timezone.utc)
DIGEST = "sha256:" + "c" * 64
NO_CONFIG = "it has no config with a digest (the image ID)"


@pytest.mark.parametrize("value", ["²", "٣", "-5", "1e400", "12 seconds", "Thu, 99 Foo"])
def test_a_retry_after_that_is_not_ascii_seconds_or_a_date_gives_the_default(value):
    assert retry_after(value, default=1.5, now=NOW) == 1.5


@pytest.mark.parametrize("value", [
    "Thu, 01 Jan 2026 12:00:30 GMT",
    "Thu, 01 Jan 2026 14:00:30 +0200",
    "Thu, 01 Jan 2026 12:00:30 -0000",
    "Thursday, 01-Jan-26 12:00:30 GMT",
    "Thu Jan  1 12:00:30 2026",
])
def test_http_dates_in_every_rfc_9110_form_and_zone_are_read_as_utc(value):
    assert retry_after(value, default=1.0, now=NOW) == 30.0


def test_a_naive_now_is_taken_as_utc():
    naive = NOW.replace(tzinfo=None) - timedelta(seconds=10)

    assert retry_after("Thu, 01 Jan 2026 12:00:00 GMT", default=1.0, now=naive) == 10.0


def test_a_429_with_a_superscript_retry_after_backs_off_by_default():
    answers = iter([(429, {"Retry-After": "²"}, b"")])
    body = json.dumps({"mediaType": OCI_MANIFEST, "config": {"digest": DIGEST}}).encode()
    sleeps = []

    with FakeRegistry(lambda seen: next(answers, None) or (200, {}, body)) as registry:
        client = RegistryClient(registry.host, scheme="http", sleep=sleeps.append,
                                retry=RetryPolicy(first_backoff=0.25))
        image = client.get_manifest("registry-lab/demo", "v1")

    assert sleeps == [0.25]
    assert image.config_digest == DIGEST


@pytest.mark.parametrize("body, why", [
    ([1, 2, 3], "it is not a JSON object"),
    ({"mediaType": OCI_MANIFEST, "layers": []}, NO_CONFIG),
    ({"mediaType": OCI_MANIFEST, "config": "sha256:abc"}, NO_CONFIG),
    ({"mediaType": OCI_MANIFEST, "config": {"digest": DIGEST}, "layers": ["x"]},
     "its layers are not a list of objects with digests"),
    ({"mediaType": OCI_INDEX, "manifests": ["sha256:" + "a" * 64]},
     "its manifests are not a list of objects with digests"),
    ({"mediaType": OCI_INDEX, "manifests": [{"digest": "../../etc"}]},
     "its manifests are not a list of objects with digests"),
    ({"mediaType": 7}, "its mediaType is not text"),
])
def test_a_manifest_of_the_wrong_shape_is_one_unexpected_manifest_failure(body, why):
    payload = json.dumps(body).encode()

    with FakeRegistry(lambda seen: (200, {"Content-Type": OCI_MANIFEST}, payload)) as registry:
        with pytest.raises(failures.ServerError) as error:
            RegistryClient(registry.host, scheme="http").image_manifest("registry-lab/demo",
                                                                        "v1")

    assert str(error.value) == (f"{registry.host}/registry-lab/demo:v1: unexpected manifest: "
                                f"{why}")
    assert error.value.exit_code == exit_codes.SERVER_ERROR


def test_a_deeply_nested_manifest_is_not_json_to_the_lab():
    payload = b"[" * 100000 + b"]" * 100000

    with FakeRegistry(lambda seen: (200, {"Content-Type": OCI_MANIFEST}, payload)) as registry:
        with pytest.raises(failures.ServerError, match="the manifest is not JSON"):
            RegistryClient(registry.host, scheme="http").get_manifest("registry-lab/demo", "v1")


@pytest.mark.parametrize("token_answer", [b'["a-token"]', b'{"token": 42}', b'{"token": "a\\nb"}'])
def test_a_token_service_answer_of_the_wrong_shape_is_a_server_error(token_answer):
    def answer(seen):
        if seen.path.startswith("/token"):
            return 200, {"Content-Type": "application/json"}, token_answer
        realm = f'Bearer realm="http://{registry.host}/token",service="lab"'
        return 401, {"WWW-Authenticate": realm}, b""

    with FakeRegistry(answer) as registry:
        with pytest.raises(failures.ServerError, match="the token service gave no token"):
            RegistryClient(registry.host, "puller", "pw", scheme="http").head_manifest(
                "registry-lab/demo", "v1")
