"""What a person needs to know about the offline labs on this machine before acting on one.

Which parts of a lab are not running (a server that died), and which other workdirs under the
repository's .lab/ hold a lab's state, since ``down`` and ``up`` act on one workdir only.
"""

from pathlib import Path
from typing import List, Optional, Tuple

from registry_lab.lab.offline.errors import OfflineLabError
from registry_lab.lab.offline.lab import status
from registry_lab.lab.offline.paths import DEFAULT_WORKDIR, STATE_FILE
from registry_lab.lab.offline.state import has_state

# Where labs started with --workdir .lab/NAME keep their state, beside the default one.
LABS_ROOT = DEFAULT_WORKDIR.parent


def has_lab(workdir: Path) -> bool:
    """Whether ``workdir`` holds a lab's state, whether or not its servers still run."""
    return has_state(Path(workdir).resolve())


def stopped_parts(workdir: Path) -> List[str]:
    """Each part of the lab that is not running, as "local-a front (nginx on 127.0.0.1:PORT)"."""
    return [f"{name} {part} ({server['program']} on {server['address']})"
            for name, parts in status(workdir).items()
            for part, server in parts.items() if not server["running"]]


def other_labs(workdir: Path, root: Path = LABS_ROOT) -> List[Tuple[Path, Optional[int]]]:
    """Workdirs under ``root`` other than ``workdir`` that hold a lab, with servers running
    (None where the state cannot be read)."""
    workdir = Path(workdir).resolve()
    found = []
    for state_file in sorted(Path(root).glob(f"*/{STATE_FILE}")):
        other = state_file.parent.resolve()
        if other == workdir:
            continue
        try:
            running = sum(server["running"] for parts in status(other).values()
                          for server in parts.values())
        except (OfflineLabError, OSError, ValueError, KeyError):
            # A state file that cannot be read still marks a lab someone should look at.
            running = None
        found.append((other, running))
    return found


def command_for(action: str, workdir: Path) -> str:
    """The scripts/lab line that acts on ``workdir``; --workdir only when it is not the default."""
    line = f"scripts/lab offline {action}"
    if not is_default(workdir):
        line += f" --workdir {workdir}"
    return line


def is_default(workdir: Path) -> bool:
    """Whether ``workdir`` is the one up and down use when no --workdir is given."""
    return Path(workdir).resolve() == DEFAULT_WORKDIR.resolve()
