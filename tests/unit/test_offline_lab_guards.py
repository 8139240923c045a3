"""The offline lab's guards that need no running server: tools, ownership, workdir safety."""

import re
import subprocess
import sys

import pytest

from registry_lab.lab import offline
from registry_lab.lab.offline import processes
from registry_lab.lab.offline.paths import INSTALL_SCRIPT
from registry_lab.lab.offline.state import save_state
from registry_lab.lab.offline.tools import TOOL_PACKAGES, ensure_tools


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
