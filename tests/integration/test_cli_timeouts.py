"""`scripts/lab login` with real podman against a registry on 127.0.0.1 that accepts TLS and
never answers: the login is stopped at its time limit and reported as unreachable (exit 6)."""

import json
import os
import ssl
import subprocess
import sys
import time
from pathlib import Path

from registry_lab.lab import exit_codes
from registry_lab.lab.offline.certificates import make_lab_tls
from tests.unit.lab_doubles import local_contract
from tests.unit.silent_server import SilentServer

ROOT = Path(__file__).resolve().parents[2]


def test_a_login_to_a_registry_that_accepts_tls_and_never_answers_exits_unreachable(tmp_path):
    tls = make_lab_tls("openssl", tmp_path / "lab")
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(tls.server_cert, tls.server_key)

    with SilentServer(context) as server:
        contract = dict(local_contract(server.port), details={"certDir": str(tls.cert_dir)})
        contracts_file = tmp_path / "contracts.json"
        contracts_file.write_text(json.dumps({"silent": contract}))
        environ = {name: value for name, value in os.environ.items()
                   if not name.startswith("DOCKERHUB_")}
        environ.update(REGISTRY_LAB_LOGIN_TIMEOUT="3",
                       REGISTRY_AUTH_FILE=str(tmp_path / "auth.json"))
        started = time.monotonic()

        result = subprocess.run(
            [sys.executable, "-m", "registry_lab.lab.cli", "login", "--contracts",
             str(contracts_file), "--cli", "podman"],
            cwd=ROOT, env=environ, capture_output=True, text=True, timeout=120,
            stdin=subprocess.DEVNULL)

        elapsed = time.monotonic() - started
        handshakes = len(server.accepted)

    assert result.returncode == exit_codes.UNREACHABLE, result.stderr
    assert (f"error: silent: login to 127.0.0.1:{server.port}: podman did not finish within "
            "3 s and was stopped (REGISTRY_LAB_LOGIN_TIMEOUT sets the limit): the registry did "
            "not answer") in result.stderr
    assert handshakes >= 1, "podman never completed the TLS handshake"
    assert elapsed < 60
    assert "Traceback" not in result.stderr
