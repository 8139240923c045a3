"""``scripts/lab`` run from another folder: relative paths are the caller's, as in any tool."""

import json
import os
import subprocess
from pathlib import Path

from registry_lab.lab import exit_codes
from registry_lab.lab.offline.state import save_state

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "lab"

ENVIRON = {name: value for name, value in os.environ.items()
           if not name.startswith(("DOCKERHUB_", "REGISTRY_LAB_"))}


def lab(*args, cwd):
    return subprocess.run([str(SCRIPT), *args], cwd=cwd, env=ENVIRON, capture_output=True,
                          text=True, timeout=120, stdin=subprocess.DEVNULL)


def saved_offline_contracts(path, gone_ca):
    host = "127.0.0.1:5999"
    contract = {
        "cloud": "local", "registryHost": host, "repositoryUrl": f"{host}/registry-lab/demo",
        "imageRef": f"{host}/registry-lab/demo:v1", "loginCommand": "podman login ...",
        "details": {"caFile": str(gone_ca)},
        "pushIdentity": {"method": "basic", "username": "pusher"},
        "pullOnlyIdentity": {"method": "basic", "username": "puller"},
        "pushCredentials": {"username": "pusher", "password": "push-pw"},
        "pullOnlyCredentials": {"username": "puller", "password": "pull-pw"},
    }
    path.write_text(json.dumps({"local-a": contract}))


def test_a_relative_contracts_path_is_read_from_the_callers_folder(tmp_path):
    caller = tmp_path / "work"
    caller.mkdir()
    gone_ca = tmp_path / "stopped-lab" / "tls" / "ca.crt"
    saved_offline_contracts(tmp_path / "saved.json", gone_ca)

    result = lab("compare", "--contracts", "../saved.json", cwd=caller)

    # The file was found (its CA was not), and the saved lab's missing CA is no traceback.
    assert result.returncode == exit_codes.CONTRACT, result.stderr
    assert result.stderr == (f"error: contracts file '../saved.json', entry 'local-a': "
                             f"details.caFile '{gone_ca}' does not exist or is not a file (a "
                             "stopped offline lab takes its CA with it: start it with "
                             "'scripts/lab offline up' and use the contracts it writes)\n")


def test_a_relative_workdir_is_the_callers(tmp_path):
    workdir = tmp_path / "mylab"
    workdir.mkdir()
    save_state(workdir, {"registries": {}})

    result = lab("offline", "down", "--workdir", "mylab", "--cli", "true", cwd=tmp_path)

    assert result.returncode == exit_codes.OK, result.stderr
    assert result.stderr.endswith("[offline] lab: no server was running; removed "
                                  f"{tmp_path / 'mylab'}\n")
    assert not workdir.exists()
