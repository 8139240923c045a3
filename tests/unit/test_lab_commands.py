"""The lab's commands as a user runs them: one error line, documented exit codes, --json."""

import json
import os

import pytest

from registry_lab.lab import cli, container_cli, exit_codes
from tests.unit.fake_cli import FakeCli


@pytest.fixture(autouse=True)
def no_docker_hub(monkeypatch):
    """Docker Hub joins the registries when its variables are set: never in these tests."""
    for name in ("DOCKERHUB_NAMESPACE", "DOCKERHUB_TOKEN", "DOCKERHUB_USERNAME"):
        monkeypatch.delenv(name, raising=False)


@pytest.mark.parametrize("command", ["login", "push", "compare", "check-read-only", "run"])
def test_a_missing_contracts_file_is_one_line_and_the_contract_exit_code(command, tmp_path,
                                                                         capsys):
    missing = tmp_path / "missing.json"

    code = cli.main([command, "--contracts", str(missing)])

    assert code == exit_codes.CONTRACT
    error = capsys.readouterr().err.strip()
    assert error == f"error: contracts file '{missing}' does not exist"


def test_json_output_carries_the_failure_and_exit_code(tmp_path, capsys):
    path = tmp_path / "contracts.json"
    path.write_text(json.dumps({"a": {"cloud": "azure"}}))

    code = cli.main(["compare", "--contracts", str(path), "--json"])

    document = json.loads(capsys.readouterr().out)
    assert code == exit_codes.CONTRACT
    assert document["exitCode"] == exit_codes.CONTRACT
    assert document["meaning"] == "a login contract is missing or invalid"
    assert "key 'registryHost' is missing" in document["failures"][0]


def test_build_prints_the_image_id_on_stdout_and_progress_on_stderr(tmp_path, capsys):
    fake = FakeCli(tmp_path)
    fake.answer("image", stdout="sha256:" + "e" * 64 + "\n")

    code = cli.main(["build", "--cli", str(fake.path)])

    output = capsys.readouterr()
    assert code == exit_codes.OK
    assert output.out == "sha256:" + "e" * 64 + "\n"
    assert output.err.startswith("[build] demo:v1:")
    assert fake.commands()[0][:4] == ["build", "--timestamp", "0", "--tag"]


def test_a_daemon_that_is_down_fails_the_build_with_the_cli_exit_code(tmp_path, capsys):
    fake = FakeCli(tmp_path, version="Docker version 27.3.1")
    fake.answer("build", rc=1, stderr="Cannot connect to the Docker daemon at "
                                      "unix:///var/run/docker.sock. Is the docker daemon running?")

    code = cli.main(["build", "--cli", str(fake.path)])

    assert code == exit_codes.CONTAINER_CLI
    assert "its daemon is not running" in capsys.readouterr().err


STEP_COMMANDS = ["login", "push", "compare", "check-read-only", "run"]


def local_contract(details):
    host = "127.0.0.1:5999"
    return {
        "cloud": "local", "registryHost": host, "repositoryUrl": f"{host}/registry-lab/demo",
        "imageRef": f"{host}/registry-lab/demo:v1", "loginCommand": "podman login ...",
        "details": details,
        "pushIdentity": {"method": "basic", "username": "pusher"},
        "pullOnlyIdentity": {"method": "basic", "username": "puller"},
        "pushCredentials": {"username": "pusher", "password": "push-pw"},
        "pullOnlyCredentials": {"username": "puller", "password": "pull-pw"},
    }


def bad_details(kind, folder):
    """Details as a saved contracts file holds them once the lab that wrote it is gone."""
    gone = folder / "stopped-lab" / "tls"
    garbage = folder / "garbage.crt"
    garbage.write_text("not a certificate\n")
    empty = folder / "empty-certs"
    empty.mkdir(exist_ok=True)
    return {
        "missing CA file": ({"caFile": str(gone / "ca.crt"), "certDir": str(folder)},
                            f"details.caFile '{gone / 'ca.crt'}' does not exist"),
        "missing cert dir": ({"certDir": str(gone / "certs")},
                             f"details.certDir '{gone / 'certs'}' does not exist"),
        "CA file is a folder": ({"caFile": str(folder)}, f"details.caFile '{folder}'"),
        "CA file not a path": ({"caFile": 42}, "details.caFile must be a non-empty path"),
        "CA file with no certificate": ({"caFile": str(garbage)},
                                        "holds no readable CA certificate"),
        "API host not a host": ({"apiHost": ["x"]}, "details.apiHost must be a non-empty"),
        "cert dir with no certificate": ({"certDir": str(empty)},
                                         "holds no CA certificate (*.crt)"),
        "cert dir with a bad certificate": ({"certDir": str(folder)},
                                            f"details.certDir '{garbage}' holds no readable CA"),
    }[kind]


@pytest.mark.parametrize("kind", ["missing CA file", "missing cert dir", "CA file is a folder",
                                  "CA file not a path", "CA file with no certificate",
                                  "API host not a host", "cert dir with no certificate",
                                  "cert dir with a bad certificate"])
@pytest.mark.parametrize("command", STEP_COMMANDS)
def test_a_contract_with_unusable_trust_files_is_one_line_and_exit_4_before_any_request(
        command, kind, tmp_path, capsys, monkeypatch):
    fake = FakeCli(tmp_path)
    monkeypatch.setenv("REGISTRY_LAB_CLI", str(fake.path))
    details, expected = bad_details(kind, tmp_path)
    saved = tmp_path / "saved.json"
    saved.write_text(json.dumps({"local-a": local_contract(details)}))

    code = cli.main([command, "--contracts", str(saved)])

    assert code == exit_codes.CONTRACT
    error = capsys.readouterr().err
    assert error.count("\n") == 1, error
    assert error.startswith(f"error: contracts file '{saved}', entry 'local-a': ")
    assert expected in error
    assert fake.calls() == [], f"{command} ran the container CLI on an invalid contract"


DAEMON_DOWN = ("Cannot connect to the Docker daemon at unix:///var/run/docker.sock. "
               "Is the docker daemon running?")


def saved_local_contracts(folder, names=("local-a",)):
    path = folder / "contracts.json"
    path.write_text(json.dumps({name: local_contract({}) for name in names}))
    return path


SOCKET_FORBIDDEN = ("permission denied while trying to connect to the Docker daemon socket at "
                    "unix:///var/run/docker.sock: dial unix /var/run/docker.sock: connect: "
                    "permission denied")


@pytest.mark.parametrize("failing, stderr, explanation", [
    ("login", DAEMON_DOWN, "its daemon is not running"),
    ("pull", DAEMON_DOWN, "its daemon is not running"),
    ("push", DAEMON_DOWN, "its daemon is not running"),
    ("login", SOCKET_FORBIDDEN, "may not use its daemon's socket"),
    ("push", SOCKET_FORBIDDEN, "may not use its daemon's socket"),
])
def test_a_daemon_that_cannot_be_used_leaves_the_pull_only_check_not_checked_with_exit_5(
        failing, stderr, explanation, tmp_path, capsys):
    fake = FakeCli(tmp_path, version="Docker version 28.2.2")
    fake.answer(failing, rc=1, stderr=stderr)
    contracts = saved_local_contracts(tmp_path)

    code = cli.main(["check-read-only", "--contracts", str(contracts), "--cli", str(fake.path),
                     "--json"])

    output = capsys.readouterr()
    document = json.loads(output.out)
    assert code == exit_codes.CONTAINER_CLI
    assert document["registries"][0]["readOnly"] == "not checked"
    assert document["failures"][0].startswith("local-a: pull-only check not run: ")
    assert explanation in document["failures"][0]


@pytest.mark.parametrize("command", ["login", "push", "check-read-only", "run"])
def test_a_missing_cli_is_exit_5_in_every_step(command, tmp_path, capsys):
    contracts = saved_local_contracts(tmp_path)

    code = cli.main([command, "--contracts", str(contracts), "--cli",
                     str(tmp_path / "no-such-cli")])

    assert code == exit_codes.CONTAINER_CLI
    assert "is not installed or not on PATH" in capsys.readouterr().err


def test_steps_on_offline_lab_contracts_default_to_podman(tmp_path, monkeypatch, capsys):
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    clis = {}
    for program in ("podman", "docker"):
        folder = tmp_path / program
        folder.mkdir()
        clis[program] = FakeCli(folder)
        (bin_dir / program).symlink_to(clis[program].path)
    monkeypatch.setenv("PATH", f"{bin_dir}:{os.environ['PATH']}")
    monkeypatch.delenv("REGISTRY_LAB_CLI", raising=False)
    contracts = saved_local_contracts(tmp_path)

    cli.main(["login", "--contracts", str(contracts)])

    assert [argv[0] for argv in clis["podman"].commands()] == ["login"]
    assert clis["docker"].calls() == []


def test_the_default_cli_is_docker_unless_every_registry_is_an_offline_lab_s():
    local = {"cloud": "local"}

    assert container_cli.default_for({"a": local, "b": local}) == "podman"
    assert container_cli.default_for({"a": local, "aws": {"cloud": "aws"}}) == "docker"
    assert container_cli.default_for({"aws": {"cloud": "aws"}}) == "docker"


def test_the_step_help_says_when_podman_is_the_default(capsys):
    with pytest.raises(SystemExit):
        cli.main(["check-read-only", "--help"])

    help_text = " ".join(capsys.readouterr().out.split())
    assert "else podman when every registry is an offline lab's (cloud 'local'), else docker" \
        in help_text


def test_a_failed_push_is_a_short_progress_line_then_one_error_line_with_the_reason(
        tmp_path, capsys):
    fake = FakeCli(tmp_path)
    fake.answer("login", rc=125, stderr='Error: logging into "127.0.0.1:5999": invalid '
                                        'username/password')
    contracts = saved_local_contracts(tmp_path)

    code = cli.main(["push", "--contracts", str(contracts), "--cli", str(fake.path)])

    output = capsys.readouterr()
    assert code == exit_codes.UNAUTHORIZED
    assert output.err.splitlines() == [
        "[push] local-a: failed",
        "error: local-a: login to 127.0.0.1:5999: unauthorized (401): wrong username or "
        'password, or no login (Error: logging into "127.0.0.1:5999": invalid '
        "username/password)"]
    verdict_cell = output.out.splitlines()[1].split("  ")[-1].strip()
    assert verdict_cell == "- (push failed)"
