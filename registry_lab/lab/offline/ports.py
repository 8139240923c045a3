"""Loopback ports: pick free ones, see whether one answers, find who listens on it."""

import os
import socket
from pathlib import Path
from typing import List, Set, Tuple

LOOPBACK = "127.0.0.1"

# The kernel's socket tables; state 0A is LISTEN.
SOCKET_TABLES = ("/proc/net/tcp", "/proc/net/tcp6")
LISTEN = "0A"


def free_port() -> int:
    """A port nothing listens on right now; the kernel picks it from the ephemeral range."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((LOOPBACK, 0))
        return probe.getsockname()[1]


def is_listening(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.settimeout(1.0)
        return probe.connect_ex((LOOPBACK, port)) == 0


def listeners(port: int) -> List[int]:
    """The processes holding a socket that listens on ``port``, on any local address."""
    inodes = _listening_inodes(port)
    if not inodes:
        return []
    holders = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and inodes & _socket_inodes(entry):
            holders.append(int(entry.name))
    return holders


def listening_ports(pid: int) -> List[int]:
    """The ports ``pid`` listens on; [] if it is gone or not ours to inspect."""
    held = _socket_inodes(Path(f"/proc/{pid}"))
    return sorted({port for port, inode in _listening_sockets() if inode in held})


def _listening_inodes(port: int) -> Set[str]:
    return {inode for listening, inode in _listening_sockets() if listening == port}


def _listening_sockets() -> List[Tuple[int, str]]:
    """(port, socket inode) of every listening TCP socket."""
    sockets = []
    for table in SOCKET_TABLES:
        try:
            rows = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for row in rows:
            fields = row.split()
            if fields[3] == LISTEN:
                sockets.append((int(fields[1].rsplit(":", 1)[1], 16), fields[9]))
    return sockets


def _socket_inodes(process: Path) -> Set[str]:
    try:
        descriptors = os.listdir(process / "fd")
    except OSError:
        return set()
    inodes = set()
    for descriptor in descriptors:
        try:
            target = os.readlink(process / "fd" / descriptor)
        except OSError:
            continue
        if target.startswith("socket:["):
            inodes.add(target[len("socket:["):-1])
    return inodes
