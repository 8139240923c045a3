"""Start and stop the offline lab: two registries, each a backend and a front.

Layout of the workdir (mode 0700):
  lab-state.json    the servers launched (see state.py); kept until all of them are gone
  contracts.json    the login contract of every registry, credentials included (0600)
  tls/              the lab CA and the server certificate;  certs/ca.crt  the CA alone
  NAME/             one registry: registry.yml, storage/, htpasswd, front/ (nginx's prefix)
Stopping removes these and nothing else. Start and stop hold the workdir's lock (lock.py).
"""

import os
import shutil
import stat
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Callable, Dict, Iterator, List, Optional, Sequence, Tuple

from registry_lab.lab.offline import backend, front, processes, readiness
from registry_lab.lab.offline.certificates import make_lab_tls
from registry_lab.lab.offline.contracts import contract_for, read_contracts, write_contracts
from registry_lab.lab.offline.errors import OfflineLabError
from registry_lab.lab.offline.files import private_dir
from registry_lab.lab.offline.lock import clear_lock_file, workdir_lock
from registry_lab.lab.offline.passwords import (PULLER, PUSHER, Account, new_account,
                                                write_htpasswd)
from registry_lab.lab.offline.paths import CONTRACTS_FILE, DEFAULT_WORKDIR, STATE_FILE
from registry_lab.lab.offline.ports import (LOOPBACK, free_port, is_listening, listeners,
                                            listening_ports)
from registry_lab.lab.offline.state import has_state, load_state, save_state
from registry_lab.lab.offline.tools import ensure_tools

REGISTRY_NAMES = ("local-a", "local-b")

# Started in this order, stopped in the reverse one: the front needs its backend.
PARTS = ("backend", "front")

# What the lab makes in its workdir, the state last: while it is there, stop can run again.
LAB_ENTRIES = (CONTRACTS_FILE, "tls", "certs", *REGISTRY_NAMES, STATE_FILE)

# What became of the workdir once the lab was stopped.
REMOVED = "removed"      # the lab made it, and nothing else was in it
EMPTIED = "emptied"      # the user made it: it stays, without the lab's files
KEPT = "kept"            # files the lab did not make stay in it, with it
UNTOUCHED = "untouched"  # no lab there: nothing removed (the workdir may not exist)


@dataclass(frozen=True)
class Teardown:
    """What stop did: the servers it stopped, and what became of the workdir."""
    stopped: List[dict]
    workdir: str
    foreign: List[str] = field(default_factory=list)  # names in a kept workdir
    without_state: bool = False  # the servers were found by their command lines


def start(workdir: Optional[Path] = None) -> Dict[str, dict]:
    """Start both registries and return their contracts, also written to contracts.json.

    Returns only once every front answers 401 without credentials and 200 for the pusher.
    On failure everything already started is stopped and one OfflineLabError is raised.
    """
    workdir = _resolve(workdir)
    front.check_workdir(workdir)
    tools = ensure_tools()
    parents = _make_parents(workdir)
    with workdir_lock(workdir):
        return _start(workdir, tools, parents)


def _start(workdir: Path, tools: Dict[str, str], parents: List[str]) -> Dict[str, dict]:
    try:
        _claim(workdir, parents)
    except OSError as error:
        _remove_parents(workdir, parents)
        raise OfflineLabError(f"cannot use {workdir} as the lab's workdir: "
                              f"{error.strerror or error}") from error
    except OfflineLabError:
        _remove_parents(workdir, parents)
        raise
    try:
        contracts = _prepare(workdir, tools)
        for name in REGISTRY_NAMES:
            _launch(workdir, name, PARTS)
    except OSError as error:
        failure = OfflineLabError(f"offline lab did not start in {workdir}: {error}")
        _stop_after_failure(workdir, failure)
        raise failure from error
    except BaseException as error:
        # An OfflineLabError, an interrupt or a bug alike: stop what started, then go on up.
        _stop_after_failure(workdir, error)
        raise
    return contracts


def stop(workdir: Optional[Path] = None) -> List[dict]:
    """Stop every server the lab started, check its ports are free, remove the lab's files.

    Returns one entry per server stopped; stopping a lab that is not running returns [].
    teardown says more: what became of the workdir.
    """
    return teardown(workdir).stopped


def teardown(workdir: Optional[Path] = None) -> Teardown:
    """Stop every server of the lab in ``workdir`` and remove the files the lab made there.

    The servers are those the state records and any other still running from this workdir
    (found by the config file their command line names), so a lab whose state file or whole
    workdir was deleted is stopped too. Only the lab's own entries (LAB_ENTRIES) are removed;
    the workdir goes only if start made it and nothing else is left in it, and a workdir the
    user made gets its mode back. If a server of ours cannot be stopped the state file stays,
    so that stop can be run again, and OfflineLabError says which.
    """
    workdir = _resolve(workdir)
    with workdir_lock(workdir):
        if not has_state(workdir):
            return _teardown_without_state(workdir)

        state = load_state(workdir)
        stopped = _halt(workdir, [(name, part) for name in reversed(REGISTRY_NAMES)
                                  for part in reversed(PARTS)])
        stopped += _stop_unrecorded(workdir)
        return _remove_lab_files(workdir, state, stopped)


def fronts(workdir: Optional[Path] = None) -> Dict[str, str]:
    """Each registry's front as 127.0.0.1:PORT: as the state records it or, with the state
    gone, where a front still running from the workdir listens."""
    workdir = _resolve(workdir)
    if has_state(workdir):
        return {name: f"{LOOPBACK}:{parts['front']['port']}"
                for name, parts in load_state(workdir)["registries"].items() if "front" in parts}

    hosts = {}
    for name, part, _, find in _servers_of(workdir):
        ports = sorted({port for pid in find() for port in listening_ports(pid)})
        if part == "front" and ports:
            hosts[name] = f"{LOOPBACK}:{ports[0]}"
    return hosts


def stop_registry(workdir: Optional[Path], name: str,
                  parts: Sequence[str] = ("front", "backend")) -> List[dict]:
    """Stop one registry's front and/or backend, leaving its files for start_registry."""
    workdir = _resolve(workdir)
    with workdir_lock(workdir):
        _check_registry(workdir, name, parts)
        return _halt(workdir, [(name, part) for part in parts])


def start_registry(workdir: Optional[Path], name: str,
                   parts: Sequence[str] = PARTS) -> List[dict]:
    """Start again what stop_registry stopped, on the same ports; returns what it started."""
    workdir = _resolve(workdir)
    with workdir_lock(workdir):
        _check_registry(workdir, name, parts)
        return _launch(workdir, name, [part for part in PARTS if part in parts])


def status(workdir: Optional[Path] = None) -> Dict[str, dict]:
    """Each registry's parts: program, pid, address and whether it runs; {} if not started."""
    workdir = _resolve(workdir)
    if not has_state(workdir):
        return {}
    registries = load_state(workdir)["registries"]
    return {
        name: {part: _describe(name, part, server, _runs(server))
               for part, server in parts.items()}
        for name, parts in registries.items()
    }


def _resolve(workdir: Optional[Path]) -> Path:
    # Server configs name files by absolute path; nginx and the registry start elsewhere.
    resolved = Path(workdir or DEFAULT_WORKDIR).resolve()
    if resolved.exists() and not resolved.is_dir():
        raise OfflineLabError(f"workdir {resolved} is not a directory; choose a directory "
                              "(empty or new) for the lab's files")
    return resolved


def _make_parents(workdir: Path) -> List[str]:
    """Create the workdir's missing parents (the lock lives in one); those made, outermost
    first."""
    missing = [parent for parent in reversed(workdir.parents) if not parent.exists()]
    try:
        for parent in missing:
            parent.mkdir()
    except OSError as error:
        _remove_empty([str(parent) for parent in missing])
        raise OfflineLabError(f"cannot use {workdir} as the lab's workdir: "
                              f"{error.strerror or error}") from error
    return [str(parent) for parent in missing]


def _claim(workdir: Path, parents: List[str]) -> None:
    """Take the workdir, writing the state file first so a failed start can be stopped."""
    if has_state(workdir):
        raise OfflineLabError(f"an offline lab already runs in {workdir}; stop it first")
    unrecorded = [pid for _, _, _, find in _servers_of(workdir) for pid in find()]
    if unrecorded:
        raise OfflineLabError(f"servers an earlier lab in {workdir} started still run (pids "
                              f"{_pids(unrecorded)}); stop them with down on that workdir")
    if workdir.exists() and any(workdir.iterdir()):
        raise OfflineLabError(f"workdir {workdir} is not empty; choose an empty or new one")

    created = not workdir.exists()
    mode = None if created else stat.S_IMODE(workdir.stat().st_mode)
    private_dir(workdir)
    save_state(workdir, {"registries": {}, "workdirCreated": created, "workdirMode": mode,
                         "parentsCreated": parents})


def _stop_after_failure(workdir: Path, failure: BaseException) -> None:
    """Stop what a failed start left; if that fails too, say so along with the first error."""
    try:
        stop(workdir)
    except OfflineLabError as cleanup:
        raise OfflineLabError(f"{failure}; stopping what had started also failed: "
                              f"{cleanup}") from failure


def _teardown_without_state(workdir: Path) -> Teardown:
    """Stop what still runs from a workdir that has lost its state; then it holds a lab."""
    stopped = _stop_unrecorded(workdir)
    if not stopped:
        # Not a lab (or one already stopped): nothing of ours to stop, nothing to remove.
        if workdir.exists() and any(workdir.iterdir()):
            raise OfflineLabError(f"{workdir} holds files but no offline lab state; "
                                  "not removing it")
        return Teardown([], UNTOUCHED)
    if not workdir.exists():
        return Teardown(stopped, UNTOUCHED, without_state=True)

    # Whether start made the workdir went with the state: it stays, unless it is the default
    # one in .lab/, which is the lab's own place (else every later down would keep it).
    own = workdir == DEFAULT_WORKDIR.resolve()
    emptied = _remove_lab_files(workdir, {"workdirCreated": own, "parentsCreated":
                                          [str(workdir.parent)] if own else []}, stopped)
    return Teardown(emptied.stopped, emptied.workdir, emptied.foreign, without_state=True)


def _servers_of(workdir: Path) -> Iterator[Tuple[str, str, str, Callable[[], List[int]]]]:
    """(registry, part, program, find) for each server a lab in ``workdir`` runs; find() lists
    its live processes by the config file their command line names (processes.py)."""
    for name in REGISTRY_NAMES:
        registry_dir = workdir / name
        config = {"backend": backend.config_path(registry_dir),
                  "front": front.config_path(registry_dir)}
        for part, program in (("backend", "docker-registry"), ("front", "nginx")):
            yield name, part, program, partial(processes.found_by_config, program,
                                               config[part], config[part].parent)


def _stop_unrecorded(workdir: Path) -> List[dict]:
    """Stop the servers running from ``workdir`` that no state records."""
    stopped, failures = [], []
    for name, part, program, find in _servers_of(workdir):
        found = find()
        if not found:
            continue
        ports = sorted({port for pid in found for port in listening_ports(pid)})
        left = processes.stop_found(find)
        if left:
            failures.append(f"{name} {part}: pids {_pids(left)} of ours still run after "
                            "SIGKILL")
            continue
        address = f"{LOOPBACK}:{ports[0]}" if ports else "no port"
        stopped.append({"registry": name, "part": part, "program": program,
                        "pid": found[0], "address": address, "running": False})
    if failures:
        raise OfflineLabError("; ".join(failures))
    return stopped


def _remove_lab_files(workdir: Path, state: dict, stopped: List[dict]) -> Teardown:
    """Remove the lab's entries; then the workdir and the parents start made, if empty."""
    try:
        for entry in LAB_ENTRIES:
            _remove(workdir / entry)
        for leftover in workdir.glob(".*"):
            # A temporary file of an interrupted write of the state or the contracts.
            if leftover.name.startswith((f".{STATE_FILE}.", f".{CONTRACTS_FILE}.")):
                leftover.unlink()
        foreign = sorted(entry.name for entry in workdir.iterdir())

        if not state.get("workdirCreated", True):
            mode = state.get("workdirMode")
            if isinstance(mode, int):
                workdir.chmod(mode)
            return Teardown(stopped, KEPT if foreign else EMPTIED, foreign)
        if foreign:
            return Teardown(stopped, KEPT, foreign)
        workdir.rmdir()
    except OSError as error:
        raise OfflineLabError(f"servers stopped, but the lab's files in {workdir} could not "
                              f"be removed: {error}") from error

    parents = state.get("parentsCreated")
    if isinstance(parents, list):
        _remove_parents(workdir, [str(parent) for parent in parents])
    return Teardown(stopped, REMOVED)


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    elif path.exists() or path.is_symlink():
        path.unlink()


def _remove_parents(workdir: Path, parents: Sequence[str]) -> None:
    """Remove the parents start made, if empty; the lock file in the innermost goes first."""
    if parents:
        clear_lock_file(workdir)
        _remove_empty(parents)


def _remove_empty(directories: Sequence[str]) -> None:
    """Remove each directory, innermost first, that nothing has been put in."""
    for directory in reversed(directories):
        try:
            os.rmdir(directory)
        except OSError:
            return


def _prepare(workdir: Path, tools: Dict[str, str]) -> Dict[str, dict]:
    """Write every file the servers need and record them in the state; launch nothing."""
    tls = make_lab_tls(tools["openssl"], workdir)
    ports = _distinct_free_ports(2 * len(REGISTRY_NAMES))
    state = load_state(workdir)
    contracts = {}

    for name in REGISTRY_NAMES:
        registry_dir = private_dir(workdir / name)
        backend_port, front_port = ports.pop(), ports.pop()
        pusher, puller = new_account(PUSHER), new_account(PULLER)
        htpasswd = write_htpasswd(registry_dir / "htpasswd", tools["openssl"],
                                  (pusher, puller))

        backend_config = backend.write_config(registry_dir, backend_port)
        front_config = front.write_config(registry_dir, name, front_port, backend_port,
                                          htpasswd, tls.server_cert, tls.server_key,
                                          puller.username)
        state["registries"][name] = {
            "backend": _server("docker-registry", backend.command(
                tools["docker-registry"], backend_config), backend_config, backend_port,
                registry_dir / "registry.log"),
            "front": _server("nginx", front.command(tools["nginx"], front_config),
                             front_config, front_port, front_config.parent / "nginx.log"),
        }
        contracts[name] = contract_for(front_port, tls, pusher, puller)

    save_state(workdir, state)
    write_contracts(workdir, contracts)
    return contracts


def _server(program: str, command: List[str], config: Path, port: int, log: Path) -> dict:
    return {"program": program, "command": command, "config": str(config), "port": port,
            "log": str(log), "pid": None, "startTime": None}


def _distinct_free_ports(count: int) -> List[int]:
    ports: List[int] = []
    while len(ports) < count:
        port = free_port()
        if port not in ports:
            ports.append(port)
    return ports


def _check_registry(workdir: Path, name: str, parts: Sequence[str]) -> None:
    if not has_state(workdir):
        raise OfflineLabError(f"no offline lab runs in {workdir}; start it first")
    if name not in REGISTRY_NAMES:
        raise OfflineLabError(f"registry {name!r} is not one of {', '.join(REGISTRY_NAMES)}")
    unknown = [part for part in parts if part not in PARTS]
    if unknown or not parts:
        raise OfflineLabError(f"parts {list(parts)!r}: each must be one of {', '.join(PARTS)}")


def _launch(workdir: Path, name: str, parts: Sequence[str]) -> List[dict]:
    state = load_state(workdir)
    servers = state["registries"][name]
    started = []

    for part in parts:
        server = servers[part]
        if _runs(server):
            continue
        # Workers that outlived a killed leader would hold the port the new one needs.
        _stop_server(workdir, name, part, server)
        server["pid"], server["startTime"] = None, None
        save_state(workdir, state)
        if part == "front":
            front.remove_stale_socket(Path(server["config"]))
        if is_listening(server["port"]):
            raise OfflineLabError(f"{name} {part}: {LOOPBACK}:{server['port']} is taken by "
                                  "another program")

        pid = processes.launch(server["command"], Path(server["log"]))
        server["pid"], server["startTime"] = pid, processes.start_time(pid)
        # Recorded before waiting, so that a server that never gets ready is still stopped.
        save_state(workdir, state)

        what = f"{name} {part} ({server['program']} on {LOOPBACK}:{server['port']})"
        readiness.wait_until_ready(what, pid, Path(server["log"]),
                                   _readiness_check(workdir, name, part, servers))
        started.append(_describe(name, part, server, True))
    return started


def _readiness_check(workdir: Path, name: str, part: str, servers: dict):
    if part == "backend":
        return readiness.backend_answers(backend.health_url(servers["backend"]["port"]))

    contract = read_contracts(workdir)[name]
    pusher = Account(**contract["pushCredentials"]) if _runs(servers["backend"]) else None
    return readiness.front_answers(front.health_url(servers["front"]["port"]),
                                   Path(contract["details"]["caFile"]), pusher)


def _halt(workdir: Path, servers: Sequence[Tuple[str, str]]) -> List[dict]:
    """Stop each (registry, part) in order; one that will not stop does not spare the rest."""
    state = load_state(workdir)
    stopped, failures = [], []

    for name, part in servers:
        server = state["registries"].get(name, {}).get(part)
        if not server:
            continue
        try:
            if _stop_server(workdir, name, part, server):
                stopped.append(_describe(name, part, server, False))
        except OfflineLabError as failure:
            failures.append(str(failure))
            continue

        # Forgotten only now that nothing of it runs: until then a later stop can find it.
        server["pid"], server["startTime"] = None, None
        save_state(workdir, state)

    if failures:
        raise OfflineLabError(f"{'; '.join(failures)}; lab state kept in {workdir}, "
                              "run stop again")
    return stopped


def _stop_server(workdir: Path, name: str, part: str, server: dict) -> bool:
    """Stop the server's process group and free its port of any process of ours.

    Returns whether anything of ours was running. Raises OfflineLabError, leaving the state
    as it was, if a process of ours outlives SIGKILL or its port stays held by one.
    """
    found = processes.server_processes(server, workdir)
    left = processes.stop_server(server, workdir)
    if left:
        raise OfflineLabError(f"{name} {part}: pids {_pids(left)} of ours still run after "
                              "SIGKILL")

    holders = _release_port(workdir, server)
    if holders:
        raise OfflineLabError(f"{name} {part}: {LOOPBACK}:{server['port']} is still held by "
                              f"pids {_pids(holders)} of ours")
    return bool(found)


def _release_port(workdir: Path, server: dict) -> List[int]:
    """Kill any process of ours that still listens on the server's port once its group is gone.

    Such a process is outside the group (say, launched but never recorded), so nothing else
    would stop it. Returns those that outlive SIGKILL; a port held by another program is left
    to it, as is that program.
    """
    for pid in _our_listeners(workdir, server):
        processes.kill(pid)
    return _our_listeners(workdir, server)


def _our_listeners(workdir: Path, server: dict) -> List[int]:
    return [pid for pid in listeners(server["port"])
            if processes.belongs_to_lab(pid, server["program"], workdir)]


def _pids(pids: Sequence[int]) -> str:
    return ", ".join(str(pid) for pid in pids)


def _runs(server: dict) -> bool:
    return bool(server.get("pid")) and processes.is_ours(server["pid"], server)


def _describe(name: str, part: str, server: dict, running: bool) -> dict:
    return {"registry": name, "part": part, "program": server["program"],
            "pid": server.get("pid"), "address": f"{LOOPBACK}:{server['port']}",
            "running": running}
