"""The offline lab's guards that need no running server: tools, ownership, workdir safety."""

import os
import re
import signal
import subprocess
import sys
import time

import pytest

from registry_lab.lab import offline
from registry_lab.lab.offline import files, processes
from registry_lab.lab.offline.paths import INSTALL_SCRIPT
from registry_lab.lab.offline.paths import STATE_FILE
from registry_lab.lab.offline.ports import free_port, is_listening
from registry_lab.lab.offline.state import save_state
from registry_lab.lab.offline.tools import TOOL_PACKAGES, ensure_tools
from tests.integration.lab_helpers import children_of


def test_missing_tool_without_root_names_the_install_command(tmp_path):
    with pytest.raises(offline.OfflineLabError) as error:
        ensure_tools({"nginx": "nginx", "skopeo": "skopeo"}, search_path=str(tmp_path),
                     is_root=False)

    assert str(error.value) == (
        "the offline lab needs nginx, skopeo; install with: sudo sh -c "
        "'apt-get update && apt-get install -y nginx skopeo'")


def test_install_script_installs_the_packages_the_lab_checks_for():
    script = INSTALL_SCRIPT.read_text()
    listed = re.search(r"^LAB_PACKAGES=\(([^)]*)\)", script, re.MULTILINE).group(1).split()

    assert sorted(listed) == sorted(set(TOOL_PACKAGES.values()))


@pytest.fixture
def foreign_process():
    """A process the lab did not start: a Python sleeper."""
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    yield sleeper
    sleeper.kill()
    sleeper.wait()


def test_a_process_counts_as_ours_only_if_start_time_program_and_config_match(
        foreign_process, tmp_path):
    pid = foreign_process.pid
    record = {"startTime": processes.start_time(pid), "program": processes.program_name(pid),
              "config": "time.sleep"}

    assert processes.is_ours(pid, record)
    assert not processes.is_ours(pid, {**record, "config": str(tmp_path / "nginx.conf")})
    assert not processes.is_ours(pid, {**record, "startTime": "1"})
    assert not processes.is_ours(pid, {**record, "program": "nginx"})


def test_stop_leaves_a_recorded_pid_alone_once_another_process_holds_it(foreign_process,
                                                                        tmp_path):
    workdir = tmp_path / "lab"
    workdir.mkdir()
    pid = foreign_process.pid
    # As if our nginx had died and the kernel had given its pid to this unrelated process.
    save_state(workdir, {"registries": {"local-a": {"front": {
        "program": "nginx", "command": [], "config": str(workdir / "local-a/front/nginx.conf"),
        "port": 1, "log": str(workdir / "nginx.log"), "pid": pid, "startTime": "1"}}}})

    stopped = offline.stop(workdir)

    assert stopped == []
    assert foreign_process.poll() is None, "the unrelated process must still run"
    assert not workdir.exists()


def test_stop_refuses_to_remove_a_directory_that_is_not_a_lab(tmp_path):
    (tmp_path / "notes.txt").write_text("mine")

    with pytest.raises(offline.OfflineLabError, match="no offline lab state; not removing"):
        offline.stop(tmp_path)

    assert (tmp_path / "notes.txt").read_text() == "mine"


def test_start_refuses_a_workdir_that_already_holds_files(tmp_path):
    (tmp_path / "notes.txt").write_text("mine")

    with pytest.raises(offline.OfflineLabError, match="is not empty"):
        offline.start(tmp_path)

    assert [path.name for path in tmp_path.iterdir()] == ["notes.txt"]


def test_stop_on_an_empty_directory_without_lab_state_leaves_it(tmp_path):
    workdir = tmp_path / "empty"
    workdir.mkdir()

    assert offline.stop(workdir) == []

    assert workdir.is_dir()


@pytest.mark.parametrize("action", [offline.stop, offline.start, offline.status])
def test_a_workdir_that_is_a_file_gets_one_clear_error_and_stays(tmp_path, action):
    workdir = tmp_path / "notes.txt"
    workdir.write_text("mine")

    with pytest.raises(offline.OfflineLabError) as error:
        action(workdir)

    assert str(error.value) == (f"workdir {workdir} is not a directory; choose a directory "
                                "(empty or new) for the lab's files")
    assert workdir.read_text() == "mine"


def test_start_under_a_file_says_it_cannot_use_the_workdir(tmp_path):
    (tmp_path / "notes.txt").write_text("mine")

    with pytest.raises(offline.OfflineLabError, match="cannot use .*notes.txt/lab as the lab's "
                                                      "workdir: Not a directory"):
        offline.start(tmp_path / "notes.txt" / "lab")


@pytest.mark.parametrize("text", ["{not json", '{"registries": {"local-a": {"front": {}}}}',
                                  "[]"])
def test_stop_with_an_unreadable_state_fails_clearly_and_removes_nothing(tmp_path, text):
    (tmp_path / STATE_FILE).write_text(text)

    with pytest.raises(offline.OfflineLabError, match="offline lab state .* is unreadable"):
        offline.stop(tmp_path)

    assert (tmp_path / STATE_FILE).read_text() == text


@pytest.fixture
def foreign_session():
    """A program the lab did not start leading its own session, with a child in its group."""
    leader = subprocess.Popen(
        [sys.executable, "-c", "import subprocess, sys, time; "
         "subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(60)']); "
         "time.sleep(60)"], start_new_session=True)
    deadline = time.monotonic() + 5
    while not children_of(leader.pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    child = children_of(leader.pid)[0]
    yield leader, child
    os.kill(child, signal.SIGKILL)
    leader.kill()
    leader.wait()


def test_stop_leaves_a_stranger_alone_whose_group_took_a_recorded_pid(foreign_session,
                                                                     tmp_path):
    leader, child = foreign_session
    workdir = tmp_path / "lab"
    workdir.mkdir()
    # Our front died long ago; its pid now leads another program's session and group.
    save_state(workdir, {"registries": {"local-b": {"front": {
        "program": processes.program_name(child), "command": [],
        "config": str(workdir / "local-b/front/nginx.conf"), "port": 1,
        "log": str(workdir / "nginx.log"), "pid": leader.pid, "startTime": "1"}}}})

    assert set(processes.group_members(leader.pid)) == {leader.pid, child}
    assert offline.stop(workdir) == []

    assert leader.poll() is None and processes.is_running(child)
    assert not workdir.exists()


def test_stop_kills_an_unrecorded_process_of_ours_that_holds_a_servers_port(tmp_path):
    workdir = tmp_path / "lab"
    (workdir / "local-a").mkdir(parents=True)
    port = free_port()
    # Launched like a server, whose pid the lab did not get to record before it was stopped.
    pid = processes.launch([sys.executable, "-c", "import socket, time; s = socket.socket(); "
                            f"s.bind(('127.0.0.1', {port})); s.listen(); time.sleep(60)"],
                           workdir / "local-a" / "server.log")
    try:
        deadline = time.monotonic() + 5
        while not is_listening(port) and time.monotonic() < deadline:
            time.sleep(0.05)
        save_state(workdir, {"registries": {"local-a": {"backend": {
            "program": processes.program_name(pid), "command": [],
            "config": str(workdir / "local-a" / "registry.yml"), "port": port,
            "log": str(workdir / "local-a" / "server.log"), "pid": None, "startTime": None}}}})

        offline.stop(workdir)

        assert processes.has_exited(pid)
        assert not is_listening(port)
        assert not workdir.exists()
    finally:
        if not processes.has_exited(pid):
            processes.kill(pid)


def test_a_state_write_that_fails_leaves_the_old_state_whole(tmp_path, monkeypatch):
    save_state(tmp_path, {"registries": {}, "workdirCreated": True})
    before = (tmp_path / STATE_FILE).read_text()

    def full_disk(source, target):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(files.os, "replace", full_disk)
    with pytest.raises(OSError, match="No space left"):
        save_state(tmp_path, {"registries": {"local-a": {}}})

    assert (tmp_path / STATE_FILE).read_text() == before
    assert [path.name for path in tmp_path.iterdir()] == [STATE_FILE]
