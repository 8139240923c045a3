"""The lab's server processes: launched in their own session, and stopped only if ours.

A pid alone is not proof: after a process ends the kernel may give its pid to another. A
server's first process counts as ours only if its start time, program name and command line
(which names a config file under the lab's workdir) all match what was recorded at launch.

Each server runs in a session of its own whose process group id is that first pid, so its
workers can be found even after it died: Linux gives no pid to a new process while a group
still uses it as its id. A worker whose leader is gone counts as ours only if it also runs the
recorded program and holds a file open under the lab's workdir (its log, at the least).

A lab whose state file is gone is found another way (found_by_config): a docker-registry or
nginx process whose command line names one of the lab's config files, with the members of its
group and any process of the same program holding a file open beside that config.
"""

import os
import signal
import subprocess
import time
from pathlib import Path
from typing import Callable, Dict, List, Mapping, Optional, Sequence

from registry_lab.lab.offline.files import PRIVATE_FILE

# Processes this Python process launched, so that stopping one also reaps it.
_CHILDREN: Dict[int, subprocess.Popen] = {}

# docker-registry takes its whole configuration from these when they are set.
FOREIGN_ENV_PREFIXES = ("REGISTRY_",)

STOP_TIMEOUT = 10.0


def launch(argv: Sequence[str], log_path: Path) -> int:
    """Start ``argv`` detached from our terminal, output appended to ``log_path``."""
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(FOREIGN_ENV_PREFIXES)}
    descriptor = os.open(log_path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, PRIVATE_FILE)
    try:
        process = subprocess.Popen(list(argv), stdin=subprocess.DEVNULL, stdout=descriptor,
                                   stderr=subprocess.STDOUT, env=env, close_fds=True,
                                   start_new_session=True)
    finally:
        os.close(descriptor)
    _CHILDREN[process.pid] = process
    return process.pid


def _stat_fields(pid: int) -> Optional[List[str]]:
    """/proc/PID/stat after the command name (which may hold spaces): state is field 0."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return text[text.rindex(")") + 2:].split()


def start_time(pid: int) -> Optional[str]:
    fields = _stat_fields(pid)
    return fields[19] if fields else None


def is_running(pid: int) -> bool:
    fields = _stat_fields(pid)
    return fields is not None and fields[0] not in ("Z", "X")


def command_line(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def program_name(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/comm").read_text().strip()
    except OSError:
        return ""


def is_ours(pid: int, record: Mapping[str, object]) -> bool:
    """Whether ``pid`` is still the process ``record`` (program, config, startTime) describes."""
    return (is_running(pid)
            and start_time(pid) == record.get("startTime")
            and program_name(pid) == record.get("program")
            and str(record.get("config")) in command_line(pid))


def group_members(leader: int) -> List[int]:
    """Live processes still in the session and process group that ``leader`` started."""
    return [pid for pid, fields in _all_stat_fields()
            if fields[2] == fields[3] == str(leader) and fields[0] not in ("Z", "X")]


def _all_stat_fields():
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            fields = _stat_fields(int(entry.name))
            if fields:
                yield int(entry.name), fields


def open_files(pid: int) -> List[str]:
    """The paths ``pid`` holds open; [] if it is gone or not ours to inspect."""
    try:
        descriptors = os.listdir(f"/proc/{pid}/fd")
    except OSError:
        return []
    paths = []
    for descriptor in descriptors:
        try:
            paths.append(os.readlink(f"/proc/{pid}/fd/{descriptor}"))
        except OSError:
            continue
    return paths


def belongs_to_lab(pid: int, program: object, workdir: Path) -> bool:
    """Whether ``pid`` runs ``program`` with a file open under ``workdir``."""
    inside = f"{workdir}/"
    return (is_running(pid) and program_name(pid) == program
            and any(path.startswith(inside) for path in open_files(pid)))


def server_processes(record: Mapping[str, object], workdir: Path) -> List[int]:
    """Every live process of the server ``record`` describes: its leader and its workers."""
    leader = record.get("pid")
    if not isinstance(leader, int) or leader <= 0:
        return []

    # Nobody outside the leader's own session can join its group, so all of it is ours.
    leader_is_ours = is_ours(leader, record)
    members = [pid for pid in group_members(leader) if pid != leader
               and (leader_is_ours or belongs_to_lab(pid, record.get("program"), workdir))]
    return [leader, *members] if leader_is_ours else members


def stop_server(record: Mapping[str, object], workdir: Path) -> List[int]:
    """Stop the server's whole process group: SIGTERM, then SIGKILL for whatever outlives
    STOP_TIMEOUT. Returns the processes of ours still running after both (normally none).
    """
    return _stop(lambda: server_processes(record, workdir), record.get("pid"))


def found_by_config(program: str, config: Path, files_under: Path) -> List[int]:
    """Live processes of ``program`` that a server launched with ``config`` left running.

    For a lab whose state is gone: its leader names ``config`` in its command line, its
    workers are in the leader's group, and a worker whose leader died still holds a file
    open under ``files_under``. Processes of any other program are never counted.
    """
    named = f" {config} "
    inside = f"{files_under}/"
    found = set()
    for pid, fields in _all_stat_fields():
        if fields[0] in ("Z", "X") or program_name(pid) != program:
            continue
        if named in f" {command_line(pid)} ":
            found.add(pid)
            found.update(member for member in group_members(pid)
                         if program_name(member) == program)
        elif any(path.startswith(inside) for path in open_files(pid)):
            found.add(pid)
    return sorted(found)


def stop_found(find: Callable[[], List[int]]) -> List[int]:
    """Stop what ``find`` names, asking it again before each signal; returns any survivors."""
    return _stop(find, None)


def _stop(find: Callable[[], List[int]], leader: object) -> List[int]:
    for signum in (signal.SIGTERM, signal.SIGKILL):
        # Checked again before each signal: a pid that has ended may already be another's.
        found = find()
        if not found:
            return []
        if leader is not None and found[0] == leader:
            _signal_group(found[0], signum)
        for pid in found:
            _signal(pid, signum)
        if _wait_gone(found, STOP_TIMEOUT):
            return []
    return find()


def kill(pid: int) -> bool:
    """SIGKILL one process; True once it is gone."""
    _signal(pid, signal.SIGKILL)
    return _wait_gone([pid], STOP_TIMEOUT)


def _signal_group(leader: int, signum: int) -> None:
    try:
        os.killpg(leader, signum)
    except ProcessLookupError:
        pass


def _signal(pid: int, signum: int) -> None:
    try:
        os.kill(pid, signum)
    except ProcessLookupError:
        pass


def _wait_gone(pids: Sequence[int], timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while True:
        for pid in pids:
            _reap(pid)
        if not any(is_running(pid) for pid in pids):
            return True
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)


def _reap(pid: int) -> None:
    """Collect the exit status of our own child, so no zombie holds its pid."""
    process = _CHILDREN.get(pid)
    if process is not None and process.poll() is not None:
        del _CHILDREN[pid]


def has_exited(pid: int) -> bool:
    _reap(pid)
    return not is_running(pid)
