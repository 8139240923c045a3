"""A registry's backend: Debian's ``docker-registry serve`` on a loopback port, no auth.

It is reachable only from this machine and only nginx in front of it is handed out in the
contract; identities and the pull-only rule live in the front.
"""

import secrets
from pathlib import Path
from typing import List

import yaml

from registry_lab.lab.offline.files import private_dir, write_private
from registry_lab.lab.offline.ports import LOOPBACK


def write_config(registry_dir: Path, port: int) -> Path:
    storage = private_dir(registry_dir / "storage")
    config = {
        "version": 0.1,
        "log": {"level": "info", "formatter": "text"},
        "storage": {
            "filesystem": {"rootdirectory": str(storage)},
            # The lab deletes what it pushed; the cache only saves repeated stat calls.
            "delete": {"enabled": True},
            "cache": {"blobdescriptor": "inmemory"},
        },
        "http": {
            "addr": f"{LOOPBACK}:{port}",
            # Signs upload state between requests; a fixed default would let one forge it.
            "secret": secrets.token_urlsafe(32),
            "headers": {"X-Content-Type-Options": ["nosniff"]},
        },
    }
    return write_private(config_path(registry_dir), yaml.safe_dump(config, sort_keys=False))


def config_path(registry_dir: Path) -> Path:
    return registry_dir / "registry.yml"


def command(docker_registry: str, config: Path) -> List[str]:
    return [docker_registry, "serve", str(config)]


def health_url(port: int) -> str:
    return f"http://{LOOPBACK}:{port}/v2/"
