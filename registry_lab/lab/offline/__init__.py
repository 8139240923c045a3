"""The offline lab's registry servers: two real registries on 127.0.0.1, nothing else.

Each registry ("local-a", "local-b") is Debian's docker-registry on a loopback port with no
auth of its own, behind nginx on another loopback port with TLS from a lab CA made for the
run and basic auth for two identities: a pusher, and a pull-only user whose writes get the
registry's own 403 "denied" error.

API (workdir defaults to <repo>/.lab/offline):
  start(workdir) -> {name: contract}   also written to workdir/contracts.json (0600)
  stop(workdir) -> [stopped]           everything, ports freed, the lab's files removed;
                                       idempotent (the workdir itself only if start made it
                                       and nothing else is in it); finds the servers of a
                                       workdir whose state file was deleted
  teardown(workdir) -> Teardown        stop, also saying what became of the workdir
  fronts(workdir) -> {name: host}      each registry's front as 127.0.0.1:PORT
  stop_registry(workdir, name, parts=("front", "backend")) -> [stopped]
  start_registry(workdir, name, parts=("backend", "front")) -> [started]
  status(workdir) -> {name: {part: {registry, part, program, pid, address, running}}}
  read_contracts(workdir) -> {name: contract}
start, stop, stop_registry and start_registry hold the workdir's lock (lock.py): a second
run on the same workdir waits briefly, then fails. Failures raise OfflineLabError with one
line saying what failed. ``offline.control`` holds
``up`` and ``down`` as the command runs them, with progress lines and lab failures.
"""

from registry_lab.lab.offline.contracts import read_contracts
from registry_lab.lab.offline.errors import OfflineLabError
from registry_lab.lab.offline.lab import (PARTS, REGISTRY_NAMES, Teardown, fronts, start,
                                          start_registry, status, stop, stop_registry,
                                          teardown)
from registry_lab.lab.offline.paths import CONTRACTS_FILE, DEFAULT_WORKDIR

__all__ = [
    "CONTRACTS_FILE",
    "DEFAULT_WORKDIR",
    "OfflineLabError",
    "PARTS",
    "REGISTRY_NAMES",
    "Teardown",
    "fronts",
    "read_contracts",
    "start",
    "start_registry",
    "status",
    "stop",
    "stop_registry",
    "teardown",
]
