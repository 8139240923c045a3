"""The lab's state file: every server it launched, with what proves the process is ours.

Shape: {"registries": {NAME: {"backend": SERVER, "front": SERVER}}}, where SERVER holds
program, command, config, port, log and, while running, pid and startTime.
"""

import json
from pathlib import Path

from registry_lab.lab.offline.files import write_private_json
from registry_lab.lab.offline.paths import STATE_FILE


def state_path(workdir: Path) -> Path:
    return workdir / STATE_FILE


def has_state(workdir: Path) -> bool:
    return state_path(workdir).is_file()


def load_state(workdir: Path) -> dict:
    return json.loads(state_path(workdir).read_text())


def save_state(workdir: Path, state: dict) -> None:
    write_private_json(state_path(workdir), state)
