"""Contracts that would mislead the lab are refused at load, before any registry is touched."""

import json

import pytest

from registry_lab.lab import cli, contracts, exit_codes
from registry_lab.lab.dockerhub import dockerhub_contract
from registry_lab.lab.failures import ContractFailure
from tests.unit.fake_cli import FakeCli
from tests.unit.lab_doubles import local_contract


def plain_contract(port, **passwords):
    """A local contract without CA files, which the load would check exist."""
    return dict(local_contract(port, **passwords), details={})

SECRET = "not-to-be-quoted-0451"


@pytest.fixture(autouse=True)
def no_docker_hub(monkeypatch):
    for name in ("DOCKERHUB_NAMESPACE", "DOCKERHUB_TOKEN", "DOCKERHUB_USERNAME"):
        monkeypatch.delenv(name, raising=False)


def write(tmp_path, mapping):
    path = tmp_path / "contracts.json"
    path.write_text(json.dumps(mapping))
    return path


def refusal(tmp_path, contract, name="a"):
    with pytest.raises(ContractFailure) as error:
        contracts.load(files=[write(tmp_path, {name: contract})], environ={})
    assert error.value.exit_code == exit_codes.CONTRACT
    return str(error.value)


def run_lab(tmp_path, contract, command="run"):
    """The command's exit code and the container CLI calls it made (none: refused at load)."""
    fake = FakeCli(tmp_path)
    code = cli.main([command, "--contracts", str(write(tmp_path, {"a": contract})),
                     "--cli", str(fake.path)])
    return code, fake.calls()


def test_a_pull_only_method_none_is_refused_outside_docker_hub(tmp_path):
    contract = dict(plain_contract(5001), pullOnlyIdentity={"method": "none"},
                    pullOnlyCredentials=None)

    message = refusal(tmp_path, contract)

    assert "login method 'none' is allowed only for cloud 'dockerhub'" in message
    assert "'local'" in message


def test_a_push_method_none_is_refused_everywhere(tmp_path):
    contract = dict(plain_contract(5001), pushIdentity={"method": "none"},
                    pushCredentials=None)

    assert "pushIdentity: login method 'none' is not allowed" in refusal(tmp_path, contract)


def test_docker_hubs_contract_with_its_api_host_still_loads():
    contract = dockerhub_contract({"DOCKERHUB_NAMESPACE": "lab", "DOCKERHUB_TOKEN": SECRET})

    loaded = contracts.load(environ={"DOCKERHUB_NAMESPACE": "lab", "DOCKERHUB_TOKEN": SECRET})

    assert loaded["dockerhub"]["registryHost"] == "docker.io"
    assert loaded["dockerhub"]["details"]["apiHost"] == contract["details"]["apiHost"]
    assert loaded["dockerhub"]["pullOnlyIdentity"] == {"method": "none"}


def test_a_registry_host_that_is_not_the_images_host_is_refused_before_any_call(tmp_path):
    contract = dict(plain_contract(5001), registryHost="127.0.0.1:5999")

    message = refusal(tmp_path, contract)
    code, calls = run_lab(tmp_path, contract)

    assert ("registryHost '127.0.0.1:5999' is not the host of repositoryUrl "
            "'127.0.0.1:5001/registry-lab/demo'") in message
    assert code == exit_codes.CONTRACT
    assert calls == []


def test_a_repository_url_without_a_repository_path_is_refused(tmp_path):
    contract = dict(plain_contract(5001), repositoryUrl="127.0.0.1:5001",
                    imageRef="127.0.0.1:5001:v1")

    assert "must name the same registry" in refusal(tmp_path, contract)


@pytest.mark.parametrize("key, value", [
    ("pushCredentials", None),
    ("pullOnlyCredentials", None),
    ("pullOnlyCredentials", {"username": "puller"}),
    ("pushCredentials", {"username": "pusher", "password": 1234}),
    ("pushCredentials", {"username": ["pusher"], "password": SECRET}),
])
def test_basic_login_without_text_credentials_is_refused_at_load(tmp_path, key, value):
    contract = dict(plain_contract(5001, push_password=SECRET), **{key: value})

    message = refusal(tmp_path, contract)
    code, calls = run_lab(tmp_path, contract)

    assert message.startswith(f"contracts file '{tmp_path / 'contracts.json'}', entry 'a': "
                              f"{key}")
    assert SECRET not in message
    assert code == exit_codes.CONTRACT
    assert calls == []


@pytest.mark.parametrize("method, credentials, field", [
    ("docker-config", {"dockerConfigJson": None}, "dockerConfigJson"),
    ("gcp-key", {}, "keyJsonBase64"),
    ("ecr-access-key", {"accessKeyId": "AKIAEXAMPLE"}, "secretAccessKey"),
])
def test_each_method_with_static_credentials_needs_its_fields(tmp_path, method, credentials,
                                                              field):
    contract = dict(plain_contract(5001), pullOnlyIdentity={"method": method},
                    pullOnlyCredentials=credentials)

    assert f"field {field!r} must be a non-empty string" in refusal(tmp_path, contract)


def test_methods_without_static_credentials_still_load_with_null_credentials(tmp_path):
    contract = dict(plain_contract(5001), pushIdentity={"method": "ecr-token"},
                    pushCredentials=None)

    loaded = contracts.load(files=[write(tmp_path, {"a": contract})], environ={})

    assert loaded["a"]["pushCredentials"] is None


@pytest.mark.parametrize("name", ["local\x1b[31m-a", "a\nb", "\u202eevil", " a", ""])
def test_a_registry_name_that_would_not_print_as_itself_is_refused(tmp_path, name):
    message = refusal(tmp_path, plain_contract(5001), name=name)

    assert f"registry name {name!r} must be printable characters" in message
    assert "\x1b" not in message and "\n" not in message


def test_a_control_character_in_an_image_reference_is_refused(tmp_path):
    contract = dict(plain_contract(5001), imageRef="127.0.0.1:5001/registry-lab/demo:v1\x1b[2J")

    message = refusal(tmp_path, contract)

    assert "key 'imageRef'" in message and "\x1b" not in message


@pytest.mark.parametrize("reason", ["line one\nline two\x1b[2J", 42])
def test_a_skip_reason_that_is_not_one_printable_line_is_refused(tmp_path, reason):
    contract = dict(plain_contract(5001), cloud="dockerhub", registryHost="docker.io",
                    repositoryUrl="docker.io/lab/registry-lab-demo",
                    imageRef="docker.io/lab/registry-lab-demo:v1",
                    pullOnlyIdentity={"method": "none"}, pullOnlyCredentials=None,
                    details={"pullOnlySkipReason": reason})

    assert "details.pullOnlySkipReason must be one printable line" in refusal(tmp_path, contract)


@pytest.mark.parametrize("host", ["10.0.0.1:5000", "example.com:443", "127.0.0.1", "[::2]:5000",
                                  "localhost:5000"])
def test_an_offline_contract_must_stay_on_loopback(tmp_path, host):
    contract = dict(plain_contract(5001), registryHost=host, repositoryUrl=f"{host}/lab/demo",
                    imageRef=f"{host}/lab/demo:v1")

    assert f"registryHost {host!r} is not on loopback" in refusal(tmp_path, contract)


@pytest.mark.parametrize("cloud,host", [
    ("aws", "127.0.0.1:5001"),
    ("gcp", "gcr.io"),
    ("digitalocean", "registry.example.com"),
    ("dockerhub", "index.docker.io.example.com"),
])
def test_a_cloud_contract_must_name_that_clouds_login_server(tmp_path, cloud, host):
    contract = dict(plain_contract(5001), cloud=cloud, registryHost=host,
                    repositoryUrl=f"{host}/lab/demo", imageRef=f"{host}/lab/demo:v1")

    assert f"registryHost {host!r} is not a login server of {cloud}" in refusal(tmp_path, contract)


def test_json_constants_outside_json_are_refused(tmp_path):
    path = tmp_path / "contracts.json"
    path.write_text('{"a": {"cloud": "local", "details": {"extra": NaN}}}')

    with pytest.raises(ContractFailure, match="NaN is not a JSON value"):
        contracts.load(files=[path], environ={})
