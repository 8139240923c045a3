"""Loopback ports: pick free ones, and wait until a server listens on one or has let it go."""

import socket
import time

LOOPBACK = "127.0.0.1"


def free_port() -> int:
    """A port nothing listens on right now; the kernel picks it from the ephemeral range."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((LOOPBACK, 0))
        return probe.getsockname()[1]


def is_listening(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.settimeout(1.0)
        return probe.connect_ex((LOOPBACK, port)) == 0


def wait_until_free(port: int, timeout: float = 10.0) -> bool:
    """True once connections to the port are refused, False if it still answers at timeout."""
    deadline = time.monotonic() + timeout
    while is_listening(port):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True
