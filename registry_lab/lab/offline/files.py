"""Files only the user who runs the lab may read: keys, passwords, the contracts."""

import json
import os
import tempfile
from pathlib import Path

PRIVATE_FILE = 0o600
PRIVATE_DIR = 0o700


def private_dir(path: Path) -> Path:
    """Create ``path`` (and parents) and make it readable by its owner only."""
    path.mkdir(parents=True, exist_ok=True)
    path.chmod(PRIVATE_DIR)
    return path


def write_private(path: Path, text: str) -> Path:
    """Replace ``path`` with a file holding ``text``, mode 0600 from the moment it exists.

    The text goes to a temporary file beside it that then takes its name in one step: a
    reader, or a run that stops halfway, sees the old file or the new one, never a part.
    """
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return path


def write_private_json(path: Path, value) -> Path:
    return write_private(path, json.dumps(value, indent=2) + "\n")
