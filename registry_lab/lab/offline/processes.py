"""The lab's server processes: launched in their own session, and stopped only if ours.

A pid alone is not proof: after a process ends the kernel may give its pid to another. A
process counts as ours only if its start time, program name and command line (which names a
config file under the lab's workdir) all match what was recorded when it was launched.
"""

import os
import signal
import subprocess
import time
from pathlib import Path
from typing import Dict, List, Mapping, Optional, Sequence

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


def children_of(pid: int) -> List[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        fields = _stat_fields(int(entry.name))
        if fields and fields[1] == str(pid):
            found.append(int(entry.name))
    return found


def terminate(pid: int, timeout: float = STOP_TIMEOUT) -> None:
    """Stop a server and its workers: SIGTERM, then SIGKILL for whatever outlives timeout."""
    # nginx workers keep serving if their master dies first, so they are tracked too.
    workers = children_of(pid)
    _signal(pid, signal.SIGTERM)
    if not _wait_gone([pid, *workers], timeout):
        for straggler in (pid, *workers):
            _signal(straggler, signal.SIGKILL)
        _wait_gone([pid, *workers], timeout)


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
