"""``scripts/lab offline down`` on a lab with no server left: what it cleans up besides them."""

import json

import pytest

from registry_lab.lab import cli, exit_codes
from registry_lab.lab.offline.state import save_state
from tests.unit.fake_cli import FakeCli


def stopped_lab(workdir, contracts):
    """A lab's workdir whose servers are all gone: its state names none, its contracts stay."""
    workdir.mkdir()
    save_state(workdir, {"registries": {}})
    (workdir / "contracts.json").write_text(json.dumps(contracts))
    return workdir


def lab_contract(port):
    host = f"127.0.0.1:{port}"
    return {"cloud": "local", "registryHost": host, "imageRef": f"{host}/registry-lab/demo:v1"}


@pytest.fixture
def fake(tmp_path, monkeypatch):
    folder = tmp_path / "cli"
    folder.mkdir()
    fake = FakeCli(folder)
    monkeypatch.setenv("REGISTRY_LAB_CLI", str(fake.path))
    return fake


def test_down_logs_the_cli_out_of_the_lab_registries_and_removes_their_local_tags(
        fake, tmp_path, capsys):
    workdir = stopped_lab(tmp_path / "lab", {"local-a": lab_contract(41001),
                                             "local-b": lab_contract(41002)})

    code = cli.main(["offline", "down", "--workdir", str(workdir)])

    assert code == exit_codes.OK
    assert fake.commands() == [
        ["logout", "127.0.0.1:41001"], ["rmi", "127.0.0.1:41001/registry-lab/demo:v1"],
        ["logout", "127.0.0.1:41002"], ["rmi", "127.0.0.1:41002/registry-lab/demo:v1"]]
    assert f"[offline] local-a: {fake.path} holds no login for 127.0.0.1:41001" in (
        capsys.readouterr().err)
    assert not workdir.exists()


def test_down_touches_no_registry_but_the_lab_s_own(fake, tmp_path):
    other = {"cloud": "aws", "registryHost": "1.dkr.ecr.eu-west-1.amazonaws.com",
             "imageRef": "1.dkr.ecr.eu-west-1.amazonaws.com/registry-lab/demo:v1"}
    workdir = stopped_lab(tmp_path / "lab", {"aws": other, "local-a": lab_contract(41001)})

    cli.main(["offline", "down", "--workdir", str(workdir)])

    assert [argv[1] for argv in fake.commands()] == [
        "127.0.0.1:41001", "127.0.0.1:41001/registry-lab/demo:v1"]


def test_down_is_quiet_where_no_login_or_tag_is_left(fake, tmp_path, capsys):
    fake.answer("logout", rc=125, stderr="Error: not logged into 127.0.0.1:41001")
    fake.answer("rmi", rc=1, stderr="Error: 127.0.0.1:41001/registry-lab/demo:v1: image not known")
    workdir = stopped_lab(tmp_path / "lab", {"local-a": lab_contract(41001)})

    code = cli.main(["offline", "down", "--workdir", str(workdir)])

    assert code == exit_codes.OK
    assert capsys.readouterr().err == (
        f"[offline] lab: no server was running; removed {workdir}\n")


def test_down_without_a_named_cli_logs_out_podman_and_docker_where_installed(
        tmp_path, monkeypatch):
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    folder = tmp_path / "podman"
    folder.mkdir()
    podman = FakeCli(folder)
    (bin_dir / "podman").symlink_to(podman.path)
    # Only podman is on this PATH: docker's absence is passed over, not an error.
    monkeypatch.setenv("PATH", str(bin_dir))
    monkeypatch.delenv("REGISTRY_LAB_CLI", raising=False)
    workdir = stopped_lab(tmp_path / "lab", {"local-a": lab_contract(41001)})

    code = cli.main(["offline", "down", "--workdir", str(workdir)])

    assert code == exit_codes.OK
    assert podman.commands() == [["logout", "127.0.0.1:41001"],
                                 ["rmi", "127.0.0.1:41001/registry-lab/demo:v1"]]
