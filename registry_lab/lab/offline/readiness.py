"""Waiting until a freshly launched server answers the registry API as it should."""

import time
from pathlib import Path
from typing import Callable, Optional

import requests

from registry_lab.lab.offline import processes
from registry_lab.lab.offline.errors import OfflineLabError
from registry_lab.lab.offline.passwords import Account

READY_TIMEOUT = 20.0
PROBE_TIMEOUT = 2.0


def loopback_session() -> requests.Session:
    """A session that ignores proxy variables and ~/.netrc: loopback only, our auth only."""
    session = requests.Session()
    session.trust_env = False
    return session


def backend_answers(url: str) -> Callable[[], bool]:
    def check() -> bool:
        with loopback_session() as session:
            return session.get(url, timeout=PROBE_TIMEOUT).status_code == 200
    return check


def front_answers(url: str, ca_file: Path, pusher: Optional[Account]) -> Callable[[], bool]:
    """401 without credentials and, when the backend runs, 200 for the pusher."""
    def check() -> bool:
        with loopback_session() as session:
            session.verify = str(ca_file)
            if session.get(url, timeout=PROBE_TIMEOUT).status_code != 401:
                return False
            if pusher is None:
                return True
            answer = session.get(url, auth=(pusher.username, pusher.password),
                                 timeout=PROBE_TIMEOUT)
            return answer.status_code == 200
    return check


def wait_until_ready(what: str, pid: int, log: Path, check: Callable[[], bool],
                     timeout: float = READY_TIMEOUT) -> None:
    """Poll ``check`` until it holds; fail early, with the server's last words, if it exits."""
    deadline = time.monotonic() + timeout
    while True:
        if processes.has_exited(pid):
            raise OfflineLabError(f"{what} exited at start: {last_line(log)}")
        try:
            if check():
                return
        except (requests.ConnectionError, requests.Timeout):
            pass
        if time.monotonic() > deadline:
            raise OfflineLabError(f"{what} did not answer as expected within {timeout:.0f}s; "
                                  f"see {log}")
        time.sleep(0.1)


def last_line(log: Path) -> str:
    try:
        lines = log.read_text(errors="replace").strip().splitlines()
    except OSError:
        lines = []
    return lines[-1] if lines else f"no output in {log}"
