"""Files only the user who runs the lab may read: keys, passwords, the contracts."""

import json
import os
from pathlib import Path

PRIVATE_FILE = 0o600
PRIVATE_DIR = 0o700


def private_dir(path: Path) -> Path:
    """Create ``path`` (and parents) and make it readable by its owner only."""
    path.mkdir(parents=True, exist_ok=True)
    path.chmod(PRIVATE_DIR)
    return path


def write_private(path: Path, text: str) -> Path:
    """Write ``text`` to a file that is mode 0600 from the moment it exists."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, PRIVATE_FILE)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(text)

    # os.open honours the umask only by narrowing; a file that existed keeps its old mode.
    path.chmod(PRIVATE_FILE)
    return path


def write_private_json(path: Path, value) -> Path:
    return write_private(path, json.dumps(value, indent=2) + "\n")
