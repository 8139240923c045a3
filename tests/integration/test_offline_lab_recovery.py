"""``offline up`` and ``down`` on labs that lost files, were interrupted, or run side by side."""

import shlex
import shutil
import socket
import stat
import subprocess
import sys

import pytest

from registry_lab.lab import cli, exit_codes, offline
from registry_lab.lab.login import PUSH
from registry_lab.lab.offline import lab as offline_lab
from registry_lab.lab.offline import lock, processes, readiness
from registry_lab.lab.offline.paths import REPO_ROOT
from tests.integration.lab_helpers import api_url, lab_pids, lab_ports, registry_session

LAB_SCRIPT = REPO_ROOT / "scripts" / "lab"


def assert_nothing_left(pids, ports):
    assert [pid for pid in pids if processes.is_running(pid)] == []
    for port in ports:
        with pytest.raises(ConnectionRefusedError):
            socket.create_connection(("127.0.0.1", port), timeout=5).close()


def down(workdir):
    return cli.main(["offline", "down", "--workdir", str(workdir)])


def test_down_finds_and_stops_a_lab_whose_workdir_was_deleted(fake, tmp_path, capsys):
    workdir = tmp_path / "lab"
    contracts = offline.start(workdir)
    pids, ports = lab_pids(workdir), lab_ports(workdir)
    shutil.rmtree(workdir)

    code = down(workdir)

    err = capsys.readouterr().err
    assert code == exit_codes.OK, err
    assert len(pids) >= 6 and len(ports) == 4
    assert_nothing_left(pids, ports)
    assert f"[offline] lab: no lab state in {workdir}; its servers were found" in err
    for name in offline.REGISTRY_NAMES:
        for part in ("front", "backend"):
            assert f"[offline] {name}: stopped {part} (" in err
    assert err.endswith(f"[offline] lab: {workdir} is gone; nothing to remove\n")
    # Its fronts, found listening, are what the CLI logs out of.
    assert sorted(fake.commands()) == sorted(
        [["logout", contract["registryHost"]] for contract in contracts.values()]
        + [["rmi", contract["imageRef"]] for contract in contracts.values()])


def test_down_stops_a_lab_whose_state_file_was_deleted_and_up_works_again(fake, tmp_path,
                                                                        capsys):
    workdir = tmp_path / "lab"
    offline.start(workdir)
    pids, ports = lab_pids(workdir), lab_ports(workdir)
    (workdir / "lab-state.json").unlink()

    with pytest.raises(offline.OfflineLabError, match="started still run"):
        offline.start(workdir)
    code = down(workdir)

    assert code == exit_codes.OK, capsys.readouterr().err
    assert_nothing_left(pids, ports)
    assert workdir.is_dir() and list(workdir.iterdir()) == []
    assert capsys.readouterr().err.endswith(
        f"[offline] lab: emptied {workdir}; the directory itself stays\n")
    offline.start(workdir)
    offline.stop(workdir)


def test_down_without_state_removes_the_default_workdir_and_its_parent_once_empty(
        fake, tmp_path, monkeypatch):
    workdir = tmp_path / ".lab" / "offline"
    monkeypatch.setattr(offline_lab, "DEFAULT_WORKDIR", workdir)
    offline.start(workdir)
    pids, ports = lab_pids(workdir), lab_ports(workdir)
    (workdir / "lab-state.json").unlink()

    assert down(workdir) == exit_codes.OK

    assert_nothing_left(pids, ports)
    assert sorted(tmp_path.iterdir()) == [tmp_path / "cli"]


def test_down_without_state_never_stops_another_workdirs_lab_or_another_program(fake,
                                                                               tmp_path):
    workdir, neighbour = tmp_path / "lab", tmp_path / "lab2"
    offline.start(workdir)
    offline.start(neighbour)
    pids, ports = lab_pids(workdir), lab_ports(workdir)
    neighbour_pids = lab_pids(neighbour)
    # Another program whose command line names one of the lab's config files.
    stranger = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)",
                                 str(workdir / "local-a" / "registry.yml")])
    try:
        (workdir / "lab-state.json").unlink()

        assert down(workdir) == exit_codes.OK

        assert_nothing_left(pids, ports)
        assert all(processes.is_running(pid) for pid in neighbour_pids)
        assert stranger.poll() is None
    finally:
        stranger.kill()
        stranger.wait()
        offline.stop(neighbour)


@pytest.mark.parametrize("text,why", [
    ("[]", "must hold a contract or a mapping of names to contracts"),
    ('{"local-a": "x"}', "entry 'local-a': a contract must be a JSON object"),
    ('{"local-a": {"cloud": "local"}}', "entry 'local-a': key 'registryHost' is missing"),
    ("{", "is not JSON"),
    (None, "does not exist"),
])
def test_damaged_contracts_fail_up_in_one_line_and_down_still_stops_the_servers(
        fake, tmp_path, capsys, text, why):
    workdir = tmp_path / "lab"
    offline.start(workdir)
    pids, ports = lab_pids(workdir), lab_ports(workdir)
    contracts_file = workdir / "contracts.json"
    if text is None:
        contracts_file.unlink()
    else:
        contracts_file.write_text(text)

    up_code = cli.main(["offline", "up", "--workdir", str(workdir)])
    up_err = capsys.readouterr().err
    down_code = down(workdir)
    down_err = capsys.readouterr().err

    assert up_code == exit_codes.OFFLINE_LAB
    assert up_err.splitlines()[-1].startswith(
        f"error: the offline lab's contracts are damaged: contracts file '{contracts_file}'")
    assert why in up_err.splitlines()[-1]
    assert "Traceback" not in up_err + down_err
    assert_nothing_left(pids, ports)
    assert not workdir.exists()
    if text is None:
        # Nothing to disagree with the state: the CLI forgets the fronts the state recorded.
        assert down_code == exit_codes.OK
        assert len(fake.commands()) == 4
    else:
        assert down_code == exit_codes.OFFLINE_LAB
        assert fake.commands() == []
        assert [line for line in down_err.splitlines() if line.startswith("error:")] == [
            down_err.splitlines()[-1]]


def test_interrupted_up_says_so_in_one_line_and_leaves_nothing_running(tmp_path, monkeypatch,
                                                                       capsys):
    workdir = tmp_path / "lab"
    launched = []
    real_launch, real_wait = processes.launch, readiness.wait_until_ready

    def recording_launch(argv, log):
        launched.append(real_launch(argv, log))
        return launched[-1]

    def interrupted_on_the_third(*args, **kwargs):
        if len(launched) == 3:
            raise KeyboardInterrupt
        return real_wait(*args, **kwargs)

    monkeypatch.setattr(processes, "launch", recording_launch)
    monkeypatch.setattr(readiness, "wait_until_ready", interrupted_on_the_third)

    code = cli.main(["offline", "up", "--workdir", str(workdir)])

    assert code == exit_codes.INTERRUPTED == 130
    assert capsys.readouterr().err.splitlines()[-1] == "interrupted; stopped what had started"
    assert len(launched) == 3
    assert [pid for pid in launched if processes.is_running(pid)] == []
    assert not workdir.exists()


def test_a_workdir_with_spaces_quotes_and_nginx_syntax_in_its_name_runs_the_lab(
        tmp_path_factory):
    # Short: the front's unix socket path must fit in 107 bytes.
    workdir = tmp_path_factory.mktemp("q") / "a b;c{d}e\"f'g#h\\i"
    contracts = offline.start(workdir)
    try:
        contract = contracts["local-a"]
        with registry_session(contract, PUSH) as session:
            assert session.get(api_url(contract)).status_code == 200
        argv = shlex.split(contract["loginCommand"])
        assert argv[argv.index("--cert-dir") + 1] == str(workdir / "certs")
    finally:
        offline.stop(workdir)
    assert not workdir.exists()


@pytest.mark.parametrize("name", ["price$HOME", "tab\there"])
def test_a_workdir_nginx_cannot_name_is_refused_in_one_line(tmp_path, capsys, name):
    workdir = tmp_path / name

    code = cli.main(["offline", "up", "--workdir", str(workdir)])

    assert code == exit_codes.OFFLINE_LAB
    assert capsys.readouterr().err == (
        f"error: workdir {str(workdir)!r} holds a '$' or a control character, which nginx's "
        "config cannot name; choose a path without them\n")
    assert list(tmp_path.iterdir()) == []


def test_down_keeps_the_user_s_own_files_and_the_mode_of_a_workdir_the_user_made(
        fake, tmp_path, capsys):
    workdir = tmp_path / "mine2"
    workdir.mkdir(mode=0o755)
    workdir.chmod(0o755)
    offline.start(workdir)
    (workdir / "notes.txt").write_text("x")

    code = down(workdir)

    assert code == exit_codes.OK
    assert [path.name for path in workdir.iterdir()] == ["notes.txt"]
    assert (workdir / "notes.txt").read_text() == "x"
    assert stat.S_IMODE(workdir.stat().st_mode) == 0o755
    assert capsys.readouterr().err.endswith(
        f"[offline] lab: removed the lab's files but kept {workdir}: it holds notes.txt, "
        "which the lab did not make\n")


def test_down_removes_the_parent_up_created_and_keeps_one_that_was_there(fake, tmp_path):
    made, existing = tmp_path / "made" / ".lab" / "offline", tmp_path / "existing" / "offline"
    existing.parent.mkdir()

    for workdir in (made, existing):
        offline.start(workdir)
        assert down(workdir) == exit_codes.OK

    assert sorted(tmp_path.iterdir()) == [tmp_path / "cli", tmp_path / "existing"]
    assert list(existing.parent.iterdir()) == []


def test_down_waits_for_or_refuses_while_another_run_holds_the_workdir(tmp_path, monkeypatch,
                                                                       capsys):
    workdir = tmp_path / "lab"
    workdir.mkdir()
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, time; from pathlib import Path; "
         "from registry_lab.lab.offline.lock import workdir_lock; "
         "lock = workdir_lock(Path(sys.argv[1])); lock.__enter__(); print('held', flush=True); "
         "time.sleep(60)", str(workdir)], stdout=subprocess.PIPE, text=True, cwd=REPO_ROOT)
    try:
        assert holder.stdout.readline() == "held\n"
        monkeypatch.setattr(lock, "LOCK_WAIT", 0.3)

        code = cli.main(["offline", "down", "--workdir", str(workdir), "--cli", "true"])

        assert code == exit_codes.OFFLINE_LAB
        assert capsys.readouterr().err == (
            f"error: another up or down is running on {workdir}; try again once it has "
            "finished\n")
    finally:
        holder.kill()
        holder.wait()
    assert down(workdir) == exit_codes.OK


def lab_script(action, workdir):
    return subprocess.Popen([str(LAB_SCRIPT), "offline", action, "--workdir", str(workdir),
                             "--cli", "true"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)


def finished(runs):
    return [(run.wait(120), run.communicate()[1]) for run in runs]


def test_two_ups_at_once_start_one_lab_and_two_downs_at_once_both_end_cleanly(tmp_path):
    workdir = tmp_path / "lab"
    busy = f"error: another up or down is running on {workdir}"

    ups = finished([lab_script("up", workdir), lab_script("up", workdir)])
    try:
        registries = [pid for pid in lab_pids(workdir)
                      if processes.program_name(pid) == "docker-registry"]
        assert len(registries) == 2, ups
        for code, err in ups:
            assert "Traceback" not in err
            assert code == exit_codes.OK or (code == exit_codes.OFFLINE_LAB and busy in err), err
        pids, ports = lab_pids(workdir), lab_ports(workdir)
    finally:
        downs = finished([lab_script("down", workdir), lab_script("down", workdir)])

    for code, err in downs:
        assert "Traceback" not in err
        assert code == exit_codes.OK or (code == exit_codes.OFFLINE_LAB and busy in err), err
    assert_nothing_left(pids, ports)
    assert not workdir.exists()
    assert not lock.lock_path(workdir).exists()
