"""Helpers for tests that drive the offline lab's registries (see conftest.py for a list)."""

import base64
import gzip
import hashlib
import io
import json
import os
import subprocess
import tarfile
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, Iterator, List, Mapping, Optional

import requests

from registry_lab.lab import offline
from registry_lab.lab.login import identity_of

OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json"
OCI_CONFIG = "application/vnd.oci.image.config.v1+json"
OCI_LAYER = "application/vnd.oci.image.layer.v1.tar+gzip"


def credentials_of(contract: Mapping, role: str) -> tuple:
    """(username, password) of the contract's push or pull-only identity."""
    _, credentials = identity_of(contract, role)
    return credentials["username"], credentials["password"]


def registry_session(contract: Mapping, role: Optional[str] = None) -> requests.Session:
    """HTTPS to the contract's registry, trusting only the lab CA, as ``role`` or anonymous."""
    session = requests.Session()
    session.trust_env = False
    session.verify = contract["details"]["caFile"]
    if role is not None:
        session.auth = credentials_of(contract, role)
    return session


def api_url(contract: Mapping, path: str = "") -> str:
    return f"https://{contract['registryHost']}/v2/{path}"


def repository_path(contract: Mapping) -> str:
    """The repository name inside the registry, e.g. registry-lab/demo."""
    return contract["repositoryUrl"].split("/", 1)[1]


def write_auth_file(path: Path, contract: Mapping, role: str) -> Path:
    """A containers auth.json for podman/skopeo --authfile: the password stays out of argv."""
    username, password = credentials_of(contract, role)
    token = base64.b64encode(f"{username}:{password}".encode()).decode()
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w") as handle:
        json.dump({"auths": {contract["registryHost"]: {"auth": token}}}, handle)
    return path


@dataclass(frozen=True)
class OciImage:
    layout: Path
    tag: str
    manifest_digest: str
    config_digest: str
    layer_digest: str
    layer: bytes

    @property
    def reference(self) -> str:
        return f"oci:{self.layout}:{self.tag}"


def _digest(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


def _layer_tar(files: Mapping[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w", format=tarfile.PAX_FORMAT) as archive:
        for name, content in sorted(files.items()):
            member = tarfile.TarInfo(name)
            member.size, member.mode, member.mtime = len(content), 0o644, 0
            archive.addfile(member, io.BytesIO(content))
    return buffer.getvalue()


def build_oci_layout(directory: Path, files: Mapping[str, bytes], tag: str = "v1") -> OciImage:
    """A one-layer image as an OCI layout on disk, byte-for-byte reproducible from ``files``."""
    blobs = directory / "blobs" / "sha256"
    blobs.mkdir(parents=True, exist_ok=True)

    def store(data: bytes) -> str:
        digest = _digest(data)
        (blobs / digest.split(":", 1)[1]).write_bytes(data)
        return digest

    tar = _layer_tar(files)
    layer = gzip.compress(tar, mtime=0)
    config = json.dumps({
        "architecture": "amd64", "os": "linux", "config": {},
        "rootfs": {"type": "layers", "diff_ids": [_digest(tar)]},
    }, sort_keys=True).encode()
    config_digest, layer_digest = store(config), store(layer)
    manifest = json.dumps({
        "schemaVersion": 2, "mediaType": OCI_MANIFEST,
        "config": {"mediaType": OCI_CONFIG, "digest": config_digest, "size": len(config)},
        "layers": [{"mediaType": OCI_LAYER, "digest": layer_digest, "size": len(layer)}],
    }, sort_keys=True).encode()
    manifest_digest = store(manifest)

    (directory / "oci-layout").write_text('{"imageLayoutVersion":"1.0.0"}')
    (directory / "index.json").write_text(json.dumps({
        "schemaVersion": 2,
        "manifests": [{"mediaType": OCI_MANIFEST, "digest": manifest_digest,
                       "size": len(manifest),
                       "annotations": {"org.opencontainers.image.ref.name": tag}}],
    }))
    return OciImage(directory, tag, manifest_digest, config_digest, layer_digest, layer)


def skopeo_copy(source: str, contract: Mapping, role: str, auth_dir: Path,
                destination: Optional[str] = None) -> subprocess.CompletedProcess:
    """``skopeo copy`` SOURCE to the contract's imageRef (or destination) as ``role``."""
    auth_file = write_auth_file(auth_dir / f"auth-{role}.json", contract, role)
    target = destination or contract["imageRef"]
    argv = ["skopeo", "copy", "--quiet", "--dest-authfile", str(auth_file),
            "--dest-cert-dir", contract["details"]["certDir"], source, f"docker://{target}"]
    return subprocess.run(argv, stdin=subprocess.DEVNULL, capture_output=True, text=True,
                          timeout=120, check=False)


@contextmanager
def registry_stopped(workdir: Path, name: str,
                     parts=("front", "backend")) -> Iterator[List[dict]]:
    """Stop one registry's front and/or backend for the block, and start it again after."""
    stopped = offline.stop_registry(workdir, name, parts)
    try:
        yield stopped
    finally:
        offline.start_registry(workdir, name, parts)


def lab_pids(workdir: Path) -> List[int]:
    """The pids of every server the lab in ``workdir`` runs, nginx workers included."""
    masters = [server["pid"] for parts in offline.status(workdir).values()
               for server in parts.values() if server["running"]]
    return masters + [worker for pid in masters for worker in children_of(pid)]


def children_of(pid: int) -> List[int]:
    """The live processes whose parent is ``pid``, read from /proc."""
    children = []
    for entry in Path("/proc").iterdir():
        try:
            stat = (entry / "stat").read_text() if entry.name.isdigit() else ""
        except OSError:
            continue
        # The parent pid is the second field after the command name, which may hold spaces.
        if stat and stat[stat.rindex(")") + 2:].split()[1] == str(pid):
            children.append(int(entry.name))
    return children


def lab_ports(workdir: Path) -> List[int]:
    return [int(server["address"].rsplit(":", 1)[1])
            for parts in offline.status(workdir).values() for server in parts.values()]


def process_command_lines() -> Dict[int, bytes]:
    """Every process's argv on this machine, as ps shows it (NUL-separated)."""
    found = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                found[int(entry.name)] = (entry / "cmdline").read_bytes()
            except OSError:
                continue
    return found

