"""One up or down at a time on a workdir: an exclusive lock on a file beside it.

The lock file is ``.NAME.lock`` in the workdir's parent, so that it outlives the workdir that
down removes. Its holder removes it on release; a waiter that then gets the lock on the removed
file sees that the name now points elsewhere (or nowhere) and tries again. A process that holds
the lock may take it again (start stops what it started, under the same lock).
"""

import fcntl
import os
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Dict, Iterator

from registry_lab.lab.offline.errors import OfflineLabError
from registry_lab.lab.offline.files import PRIVATE_FILE

# Long enough for a down that is just finishing; an up takes longer and is reported as running.
LOCK_WAIT = 3.0
POLL = 0.1

# Lock file -> [descriptor, depth] for the locks this process holds.
_HELD: Dict[Path, list] = {}


def lock_path(workdir: Path) -> Path:
    return workdir.parent / f".{workdir.name}.lock"


@contextmanager
def workdir_lock(workdir: Path) -> Iterator[None]:
    """Hold the workdir's lock for the block; OfflineLabError if another run keeps it.

    Where the workdir's parent does not exist there is nothing to guard, and nothing is made:
    start creates the parent before it locks.
    """
    path = lock_path(workdir)
    if path in _HELD:
        _HELD[path][1] += 1
        try:
            yield
        finally:
            _HELD[path][1] -= 1
        return
    if not path.parent.is_dir():
        yield
        return

    _HELD[path] = [_acquire(path, workdir), 1]
    try:
        yield
    finally:
        descriptor = _HELD.pop(path)[0]
        _remove_if_ours(path, descriptor)
        os.close(descriptor)


def clear_lock_file(workdir: Path) -> None:
    """Remove the lock file while still holding the lock, so that its directory can go."""
    held = _HELD.get(lock_path(workdir))
    if held:
        _remove_if_ours(lock_path(workdir), held[0])


def _acquire(path: Path, workdir: Path) -> int:
    deadline = time.monotonic() + LOCK_WAIT
    while True:
        try:
            descriptor = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, PRIVATE_FILE)
        except OSError as error:
            raise OfflineLabError(f"cannot lock {workdir} with {path}: "
                                  f"{error.strerror or error}") from error
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(descriptor)
            if time.monotonic() > deadline:
                raise OfflineLabError(f"another up or down is running on {workdir}; try again "
                                      "once it has finished") from None
            time.sleep(POLL)
            continue
        if _names(path, descriptor):
            return descriptor
        # The last holder removed the file we waited on: lock the one that has the name now.
        os.close(descriptor)


def _names(path: Path, descriptor: int) -> bool:
    """Whether ``path`` still names the file open as ``descriptor``."""
    try:
        named = os.stat(path)
    except FileNotFoundError:
        return False
    held = os.fstat(descriptor)
    return (named.st_dev, named.st_ino) == (held.st_dev, held.st_ino)


def _remove_if_ours(path: Path, descriptor: int) -> None:
    if _names(path, descriptor):
        path.unlink(missing_ok=True)
