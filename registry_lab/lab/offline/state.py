"""The lab's state file: every server it launched, with what proves the process is ours.

Shape: {"registries": {NAME: {"backend": SERVER, "front": SERVER}}, "workdirCreated": BOOL},
where SERVER holds program, command, config, port, log and, while running, pid and startTime;
workdirCreated says whether start made the workdir (and stop may remove it).
"""

import json
from pathlib import Path

from registry_lab.lab.offline.errors import OfflineLabError
from registry_lab.lab.offline.files import write_private_json

SERVER_KEYS = ("program", "command", "config", "port", "log")
from registry_lab.lab.offline.paths import STATE_FILE


def state_path(workdir: Path) -> Path:
    return workdir / STATE_FILE


def has_state(workdir: Path) -> bool:
    return state_path(workdir).is_file()


def load_state(workdir: Path) -> dict:
    path = state_path(workdir)
    try:
        state = json.loads(path.read_text())
    except (OSError, ValueError) as error:
        raise _unreadable(path, str(error)) from error

    registries = state.get("registries") if isinstance(state, dict) else None
    if not isinstance(registries, dict):
        raise _unreadable(path, "no registries object")
    for name, servers in registries.items():
        if not isinstance(servers, dict) or not all(map(_is_server, servers.values())):
            raise _unreadable(path, f"registry {name!r} has a server record without "
                                    f"{', '.join(SERVER_KEYS)}")
    return state


def _is_server(server) -> bool:
    return (isinstance(server, dict) and all(key in server for key in SERVER_KEYS)
            and isinstance(server["port"], int))


def _unreadable(path: Path, why: str) -> OfflineLabError:
    return OfflineLabError(f"offline lab state {path} is unreadable ({why}); stop its "
                           "servers by hand, then remove that directory")


def save_state(workdir: Path, state: dict) -> None:
    write_private_json(state_path(workdir), state)
