"""A lab certificate authority made fresh for every run, and the loopback server certificate.

Clients trust the lab CA only through the files named in the contract (``caFile`` for
HTTP clients, ``certDir`` for podman and skopeo), never through the system trust store.
"""

import secrets
import subprocess
from dataclasses import dataclass
from pathlib import Path

from registry_lab.lab.offline.errors import OfflineLabError
from registry_lab.lab.offline.files import PRIVATE_FILE, private_dir, write_private

# Long enough for any lab run; short so a leaked CA is worthless soon.
VALID_DAYS = 2

# Extensions strict verifiers (Go, Python 3.13) require of a CA and of a server certificate.
CA_EXTENSIONS = (
    "basicConstraints=critical,CA:TRUE",
    "keyUsage=critical,keyCertSign,cRLSign",
    "subjectKeyIdentifier=hash",
)
SERVER_EXTENSIONS = """\
basicConstraints=critical,CA:FALSE
keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=serverAuth
subjectAltName=IP:127.0.0.1,DNS:localhost
subjectKeyIdentifier=hash
authorityKeyIdentifier=keyid,issuer
"""

EC_KEY = ("-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes")


@dataclass(frozen=True)
class LabTls:
    ca_file: Path
    cert_dir: Path
    server_cert: Path
    server_key: Path


def make_lab_tls(openssl: str, workdir: Path) -> LabTls:
    """Create the lab CA and a server certificate for 127.0.0.1 and localhost it signs."""
    tls_dir = private_dir(workdir / "tls")
    ca_key, ca_cert = tls_dir / "ca.key", tls_dir / "ca.crt"
    server_key, server_csr = tls_dir / "server.key", tls_dir / "server.csr"
    server_cert, extensions = tls_dir / "server.crt", tls_dir / "server.ext"

    ca_extensions = [arg for extension in CA_EXTENSIONS for arg in ("-addext", extension)]
    _openssl(openssl, "req", "-x509", *EC_KEY, "-keyout", ca_key, "-out", ca_cert,
             "-days", VALID_DAYS, "-subj", "/CN=registry-lab offline CA", *ca_extensions)

    _openssl(openssl, "req", "-new", *EC_KEY, "-keyout", server_key, "-out", server_csr,
             "-subj", "/CN=127.0.0.1")
    write_private(extensions, SERVER_EXTENSIONS)
    _openssl(openssl, "x509", "-req", "-in", server_csr, "-CA", ca_cert, "-CAkey", ca_key,
             "-set_serial", f"0x{secrets.token_hex(16)}", "-days", VALID_DAYS,
             "-extfile", extensions, "-out", server_cert)
    for key in (ca_key, server_key):
        key.chmod(PRIVATE_FILE)

    # podman and skopeo read every *.crt in --cert-dir as a CA, and *.cert/*.key as a client
    # certificate: the directory holds the CA and nothing else.
    cert_dir = private_dir(workdir / "certs")
    ca_copy = cert_dir / "ca.crt"
    ca_copy.write_bytes(ca_cert.read_bytes())
    return LabTls(ca_file=ca_copy, cert_dir=cert_dir, server_cert=server_cert,
                  server_key=server_key)


def _openssl(openssl: str, *args) -> None:
    argv = [openssl, *(str(arg) for arg in args)]
    result = subprocess.run(argv, stdin=subprocess.DEVNULL, capture_output=True, text=True,
                            check=False)
    if result.returncode != 0:
        last_line = (result.stderr.strip().splitlines() or ["no message"])[-1]
        raise OfflineLabError(f"openssl {args[0]} failed: {last_line}")
