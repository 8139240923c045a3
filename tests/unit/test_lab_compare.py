"""Verdicts on copies of demo:v1, from digests the registries report."""

import io
import json

from registry_lab.lab import compare, exit_codes, failures
from registry_lab.lab.progress import Progress
from registry_lab.lab.registry_api import DOCKER_MANIFEST, OCI_MANIFEST, Manifest
from registry_lab.lab.report import Report, as_json, table
from tests.unit.lab_doubles import local_contract

CONFIG = "sha256:" + "c" * 64
OTHER_CONFIG = "sha256:" + "d" * 64


def image(digest, config=CONFIG, layers=("sha256:" + "1" * 64,), media_type=OCI_MANIFEST):
    body = {"mediaType": media_type, "config": {"digest": config},
            "layers": [{"digest": layer} for layer in layers]}
    return Manifest(digest, media_type, body)


class FakeClient:
    """Serves fixed manifests; counts the GETs so tests see no pull is wasted."""

    def __init__(self, manifest=None, failure=None, get_failure=None):
        self.manifest = manifest
        self.failure = failure
        self.get_failure = get_failure
        self.gets = 0

    def head_manifest(self, repository, reference):
        if self.failure:
            raise self.failure
        return Manifest(self.manifest.digest, self.manifest.media_type)

    def image_manifest(self, repository, reference):
        self.gets += 1
        if self.get_failure:
            raise self.get_failure
        return self.manifest, self.manifest


def run(clients):
    contracts = {name: local_contract(5000 + index) for index, name in enumerate(clients)}
    by_host = {contract["registryHost"]: clients[name] for name, contract in contracts.items()}
    report = Report()
    compare.compare(contracts, Progress(io.StringIO()), report,
                    make_client=lambda contract: by_host[contract["registryHost"]])
    return report


def test_equal_manifests_are_the_same_and_read_once():
    a, b = FakeClient(image("sha256:" + "a" * 64)), FakeClient(image("sha256:" + "a" * 64))

    report = run({"a": a, "b": b})

    assert [row.verdict for row in report.rows.values()] == [compare.REFERENCE, compare.SAME]
    assert [row.image_id for row in report.rows.values()] == [CONFIG, CONFIG]
    assert report.exit_code == exit_codes.OK
    assert (a.gets, b.gets) == (1, 0)


def test_recompressed_layers_are_the_same_image_in_a_different_encoding():
    a = FakeClient(image("sha256:" + "a" * 64))
    b = FakeClient(image("sha256:" + "b" * 64, layers=("sha256:" + "2" * 64,)))

    report = run({"a": a, "b": b})

    row = report.rows["b"]
    assert (row.verdict, row.reason) == ("same image, different encoding",
                                         "layers re-compressed on push")
    assert report.exit_code == exit_codes.OK


def test_a_different_manifest_format_is_named_as_the_reason():
    a = FakeClient(image("sha256:" + "a" * 64))
    b = FakeClient(image("sha256:" + "b" * 64, media_type=DOCKER_MANIFEST))

    report = run({"a": a, "b": b})

    assert report.rows["b"].reason == (f"manifest format {DOCKER_MANIFEST} instead of "
                                       f"{OCI_MANIFEST}")


def test_another_config_differs_and_exits_non_zero():
    a = FakeClient(image("sha256:" + "a" * 64))
    b = FakeClient(image("sha256:" + "b" * 64, config=OTHER_CONFIG))

    report = run({"a": a, "b": b})

    assert report.rows["b"].verdict == compare.DIFFERS
    assert report.rows["b"].reason == f"image ID {OTHER_CONFIG} is not {CONFIG}"
    assert report.exit_code == exit_codes.DIFFERS
    assert "is not the same image" in report.failures[0]


def test_an_unreachable_copy_fails_its_row_and_the_rest_are_still_compared():
    a = FakeClient(failure=failures.Unreachable("127.0.0.1:5000/registry-lab/demo:v1: down"))
    b = FakeClient(image("sha256:" + "b" * 64))

    report = run({"a": a, "b": b})

    assert report.rows["a"].verdict == "failed"
    assert report.rows["b"].verdict == compare.REFERENCE
    assert report.exit_code == exit_codes.UNREACHABLE


def test_a_failed_manifest_read_keeps_its_row_failed_when_another_serves_that_digest():
    digest = "sha256:" + "a" * 64
    a = FakeClient(image(digest), get_failure=failures.ServerError("GET failed (503)"))
    b = FakeClient(image(digest))
    c = FakeClient(image(digest))

    report = run({"a": a, "b": b, "c": c})

    rows = report.rows
    assert (rows["a"].verdict, rows["a"].reason) == ("failed", "GET failed (503)")
    assert rows["a"].image_id is None
    assert [rows["b"].verdict, rows["c"].verdict] == [compare.REFERENCE, compare.SAME]
    assert (a.gets, b.gets, c.gets) == (1, 1, 0)
    assert report.exit_code == exit_codes.SERVER_ERROR
    assert report.failures == ["a: GET failed (503)"]


def test_the_table_and_json_show_registry_reference_ids_digests_and_verdicts():
    a = FakeClient(image("sha256:" + "a" * 64))
    b = FakeClient(image("sha256:" + "b" * 64, config=OTHER_CONFIG))
    report = run({"a": a, "b": b})

    lines = table(report).splitlines()
    document = json.loads(as_json(report))

    assert lines[0].split() == ["registry", "reference", "image", "ID", "manifest", "digest",
                                "verdict"]
    assert lines[1].split() == ["a", "127.0.0.1:5000/registry-lab/demo:v1",
                                "sha256:cccccccccccc", "sha256:aaaaaaaaaaaa", "reference"]
    assert lines[2].split()[:5] == ["b", "127.0.0.1:5001/registry-lab/demo:v1",
                                    "sha256:dddddddddddd", "sha256:bbbbbbbbbbbb", "differs"]
    assert document["exitCode"] == exit_codes.DIFFERS
    assert document["registries"][1]["imageId"] == OTHER_CONFIG
    assert document["registries"][1]["manifestDigest"] == "sha256:" + "b" * 64


def test_the_client_speaks_to_the_api_host_a_contract_names():
    contract = local_contract(5000)
    contract["details"] = {"apiHost": "127.0.0.1:6000"}

    client = compare.client_for(contract)

    assert client.base_url == "https://127.0.0.1:6000"
    assert compare.client_for(local_contract(5000)).base_url == "https://127.0.0.1:5000"
