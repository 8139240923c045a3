"""``offline up`` and ``down`` tell which lab, and which part of it, they could not act on."""

import subprocess

import pytest

from registry_lab.lab import cli, exit_codes
from registry_lab.lab.offline import processes, survey
from registry_lab.lab.offline.state import save_state


def server(program, port, pid=None, config="/nowhere/config"):
    return {"program": program, "command": [program], "config": config, "port": port,
            "log": "/nowhere/log", "pid": pid,
            "startTime": processes.start_time(pid) if pid else None}


@pytest.fixture
def one_live_server():
    """A process that passes for one of the lab's servers: 'sleep' whose argv names its config."""
    process = subprocess.Popen(["sleep", "60"])
    try:
        yield process.pid
    finally:
        process.kill()
        process.wait()


def test_up_over_a_lab_with_a_dead_server_names_it_and_says_down_then_up(
        one_live_server, tmp_path, capsys):
    workdir = tmp_path / "lab"
    workdir.mkdir()
    save_state(workdir, {"registries": {
        "local-a": {"backend": server("sleep", 40001, one_live_server, config="60"),
                    "front": server("nginx", 40002)},
    }})

    code = cli.main(["offline", "up", "--workdir", str(workdir)])

    assert code == exit_codes.OFFLINE_LAB
    assert capsys.readouterr().err == (
        f"error: the offline lab in {workdir} is not whole: local-a front (nginx on "
        f"127.0.0.1:40002) is not running; start it afresh with 'scripts/lab offline down "
        f"--workdir {workdir}' then 'scripts/lab offline up --workdir {workdir}'\n")


@pytest.fixture
def labs(tmp_path, monkeypatch):
    """A .lab folder of its own, standing in for the repository's."""
    labs = tmp_path / ".lab"
    monkeypatch.setattr(survey, "LABS_ROOT", labs)
    monkeypatch.setattr(survey, "DEFAULT_WORKDIR", labs / "offline")
    return labs


def test_down_on_the_default_workdir_that_finds_no_lab_names_the_labs_in_other_workdirs(
        labs, capsys):
    other = labs / "w2"
    other.mkdir(parents=True)
    save_state(other, {"registries": {"local-a": {"front": server("nginx", 40002)}}})

    code = cli.main(["offline", "down", "--workdir", str(labs / "offline"), "--cli", "true"])

    assert code == exit_codes.OK
    assert capsys.readouterr().err == (
        "[offline] lab: was not running\n"
        f"[offline] lab: another lab has its state in {other} (0 servers running); stop it "
        f"with 'scripts/lab offline down --workdir {other}'\n")
    assert other.exists()


def test_down_on_a_named_workdir_acts_on_it_alone_and_names_no_other_lab(labs, capsys):
    save_state(private_folder(labs / "w2"), {"registries": {}})

    code = cli.main(["offline", "down", "--workdir", str(labs / "w3"), "--cli", "true"])

    assert code == exit_codes.OK
    assert capsys.readouterr().err == "[offline] lab: was not running\n"


def private_folder(path):
    path.mkdir(parents=True)
    return path


def test_down_on_the_default_workdir_lists_another_lab_whose_state_is_unreadable(labs, capsys):
    other = private_folder(labs / "w2")
    (other / "lab-state.json").write_text("{not json")

    code = cli.main(["offline", "down", "--workdir", str(labs / "offline"), "--cli", "true"])

    assert code == exit_codes.OK
    assert capsys.readouterr().err == (
        "[offline] lab: was not running\n"
        f"[offline] lab: another lab has its state in {other}, but that state is unreadable; "
        f"'scripts/lab offline down --workdir {other}' says why\n")
    assert (other / "lab-state.json").read_text() == "{not json"
