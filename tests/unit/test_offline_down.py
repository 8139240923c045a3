"""``scripts/lab offline down`` on a lab with no server left: what it cleans up besides them."""

import json

import pytest

from registry_lab.lab import cli, exit_codes
from registry_lab.lab.offline import control
from registry_lab.lab.offline.state import save_state
from tests.unit.fake_cli import FakeCli


def front(workdir, name, port):
    """The state's record of a front that is no longer running."""
    front_dir = workdir / name / "front"
    return {"program": "nginx", "command": [], "config": str(front_dir / "nginx.conf"),
            "port": port, "log": str(front_dir / "nginx.log"), "pid": None, "startTime": None}


def stopped_lab(workdir, contracts, fronts=None):
    """A lab's workdir whose servers are all gone: its state names their fronts' ports (those
    of ``contracts`` unless ``fronts`` says otherwise), its contracts stay."""
    if fronts is None:
        fronts = {name: int(contract["registryHost"].rsplit(":", 1)[1])
                  for name, contract in contracts.items() if contract["cloud"] == "local"}
    workdir.mkdir()
    save_state(workdir, {"registries": {name: {"front": front(workdir, name, port)}
                                        for name, port in fronts.items()}})
    if contracts is not None:
        (workdir / "contracts.json").write_text(json.dumps(contracts))
    return workdir


def lab_contract(port, host=None, repository="registry-lab/demo"):
    host = host or f"127.0.0.1:{port}"
    repository_url = f"{host}/{repository}"
    return {"cloud": "local", "registryHost": host, "repositoryUrl": repository_url,
            "imageRef": f"{repository_url}:v1", "loginCommand": f"podman login {host}",
            "details": {}, "pushIdentity": {"method": "basic", "username": "lab-pusher"},
            "pullOnlyIdentity": {"method": "basic", "username": "lab-puller"},
            "pushCredentials": {"username": "lab-pusher", "password": "p1"},
            "pullOnlyCredentials": {"username": "lab-puller", "password": "p2"}}


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
    other = {**lab_contract(0, host="123456789012.dkr.ecr.eu-west-1.amazonaws.com"), "cloud": "aws",
             "pushIdentity": {"method": "ecr-token"}, "pullOnlyIdentity": {"method": "ecr-token"}}
    workdir = stopped_lab(tmp_path / "lab", {"aws": other, "local-a": lab_contract(41001)})

    cli.main(["offline", "down", "--workdir", str(workdir)])

    assert [argv[1] for argv in fake.commands()] == [
        "127.0.0.1:41001", "127.0.0.1:41001/registry-lab/demo:v1"]


def test_down_leaves_alone_hosts_and_references_the_lab_s_state_does_not_record(
        fake, tmp_path, capsys):
    # The state records fronts on 41001 and 41002; the contracts were edited to name others.
    contracts = {"local-a": lab_contract(41001, repository="someone/else"),
                 "local-b": lab_contract(5000),
                 "local-c": lab_contract(41002, host="127.0.0.2:41002")}
    workdir = stopped_lab(tmp_path / "lab", contracts,
                          fronts={"local-a": 41001, "local-b": 41002, "local-c": 41003})

    code = cli.main(["offline", "down", "--workdir", str(workdir)])

    assert code == exit_codes.OK
    assert fake.commands() == []
    err = capsys.readouterr().err
    assert ("[offline] local-b: contracts.json names 127.0.0.1:5000, which is not one of the "
            "lab's fronts: left alone") in err
    assert "local-a: contracts.json names 127.0.0.1:41001, which is not one" in err
    assert "local-c: contracts.json names 127.0.0.2:41002, which is not one" in err


def test_down_without_contracts_logs_out_of_the_fronts_its_state_records(fake, tmp_path):
    workdir = stopped_lab(tmp_path / "lab", None, fronts={"local-a": 41001})

    code = cli.main(["offline", "down", "--workdir", str(workdir)])

    assert code == exit_codes.OK
    assert fake.commands() == [["logout", "127.0.0.1:41001"],
                               ["rmi", "127.0.0.1:41001/registry-lab/demo:v1"]]
    assert not workdir.exists()


@pytest.mark.parametrize("text,why", [
    ("[]", "must hold a contract or a mapping of names to contracts"),
    ('{"local-a": "x"}', "entry 'local-a': a contract must be a JSON object"),
    ('{"local-a": {"cloud": "local"}}', "entry 'local-a': key 'registryHost' is missing"),
    ("{", "is not JSON"),
])
def test_down_with_damaged_contracts_skips_the_logout_in_one_line_and_still_cleans_up(
        fake, tmp_path, capsys, text, why):
    workdir = stopped_lab(tmp_path / "lab", {"local-a": lab_contract(41001)})
    (workdir / "contracts.json").write_text(text)

    code = cli.main(["offline", "down", "--workdir", str(workdir)])

    assert code == exit_codes.OFFLINE_LAB
    assert fake.commands() == []
    errors = [line for line in capsys.readouterr().err.splitlines()
              if line.startswith("error:")]
    assert len(errors) == 1
    assert errors[0].startswith(
        f"error: the offline lab's contracts are damaged: contracts file "
        f"'{workdir / 'contracts.json'}'")
    assert why in errors[0]
    assert errors[0].endswith("; the lab's servers were stopped, but no CLI was logged out of "
                              "them and no local tag was removed")
    assert not workdir.exists()


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


def interrupt(*args, **kwargs):
    raise KeyboardInterrupt


@pytest.mark.parametrize("action,patched,said", [
    ("down", "teardown", "interrupted; the lab may be partly stopped: run 'scripts/lab "
                         "offline down --workdir {workdir}' again"),
    ("up", "status", "interrupted; the lab is still up: stop it with 'scripts/lab offline "
                     "down --workdir {workdir}'"),
])
def test_an_interrupt_is_one_line_saying_what_was_left(fake, tmp_path, monkeypatch, capsys,
                                                        action, patched, said):
    workdir = stopped_lab(tmp_path / "lab", {"local-a": lab_contract(41001)})
    monkeypatch.setattr(control, patched, interrupt)

    code = cli.main(["offline", action, "--workdir", str(workdir)])

    assert code == exit_codes.INTERRUPTED == 130
    assert capsys.readouterr().err.splitlines()[-1] == said.format(workdir=workdir)
