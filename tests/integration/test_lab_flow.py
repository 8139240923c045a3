"""The lab end to end on the offline lab's real registries (nginx + docker-registry, TLS).

Every child the lab starts goes through a recording wrapper around podman, so the tests can show
that no password ever reaches a child's argv or environment, nor any output.
"""

import json
import os
import socket
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from registry_lab.lab import exit_codes, offline as offline_lab, read_only
from registry_lab.lab.cli_login import log_in
from registry_lab.lab.container_cli import ContainerCli
from registry_lab.lab.login import PUSH
from tests.integration.lab_helpers import lab_ports, registry_stopped

ROOT = Path(__file__).resolve().parents[2]

# The lab's children get this machine's environment less Docker Hub's variables: the tests
# push only to the loopback registries, never to Docker Hub.
LAB_ENVIRON = {name: value for name, value in os.environ.items()
               if not name.startswith("DOCKERHUB_")}

RECORDER = """#!{python}
import json, os, sys
with open({log!r}, "a") as log:
    log.write(json.dumps({{"argv": sys.argv[1:], "environ": dict(os.environ)}}) + "\\n")
os.execvp("podman", ["podman"] + sys.argv[1:])
"""


def local_image_names():
    listing = subprocess.run(["podman", "images", "--format", "{{.Repository}}:{{.Tag}}"],
                             capture_output=True, text=True, check=True).stdout
    return set(listing.split())


@pytest.fixture(scope="module", autouse=True)
def untag_what_the_tests_tagged():
    """Remove the local names these tests made for the loopback registries they pushed to."""
    before = local_image_names()
    yield
    made = [name for name in local_image_names() - before
            if name.startswith(("127.0.0.1:", "localhost/registry-lab-other:"))]
    if made:
        # rmi of a name that is not the image's last one removes just that name.
        subprocess.run(["podman", "rmi", *made], capture_output=True, check=False)


@pytest.fixture(scope="module")
def recorder(tmp_path_factory):
    """A podman wrapper that logs every argv and environment; returns (path, log path)."""
    folder = tmp_path_factory.mktemp("recorder")
    log = folder / "calls.jsonl"
    path = folder / "podman-recorder"
    path.write_text(RECORDER.format(python=sys.executable, log=str(log)))
    path.chmod(path.stat().st_mode | stat.S_IEXEC)
    return path, log


def lab(command, contracts, recorder, tmp_path, *extra):
    """Run ``scripts/lab COMMAND --json`` as a user would; returns (code, document, stderr)."""
    contracts_file = tmp_path / f"contracts-{len(list(tmp_path.iterdir()))}.json"
    contracts_file.write_text(json.dumps(contracts))
    # compare reads registries over HTTP only and so takes no container CLI.
    cli = [] if command == "compare" else ["--cli", str(recorder[0])]
    result = subprocess.run(
        [sys.executable, "-m", "registry_lab.lab.cli", command, "--contracts",
         str(contracts_file), *cli, "--json", *extra],
        cwd=ROOT, env=LAB_ENVIRON, capture_output=True, text=True, timeout=600,
        stdin=subprocess.DEVNULL)
    return result.returncode, json.loads(result.stdout), result.stdout + result.stderr


def passwords(contracts):
    return [contract[key]["password"] for contract in contracts.values()
            for key in ("pushCredentials", "pullOnlyCredentials")]


def rows(document):
    return {row["registry"]: row for row in document["registries"]}


@pytest.fixture(scope="module")
def lab_contracts(offline_lab):
    """The offline lab's contracts with a repository of this module's own.

    The servers are shared by the session; test_offline_servers expects registry-lab/demo to
    stay empty, so the flow here pushes to registry-lab/lab-flow on the same registries.
    """
    contracts = json.loads(json.dumps(offline_lab))
    for contract in contracts.values():
        contract["repositoryUrl"] = contract["repositoryUrl"].replace("/demo", "/lab-flow")
        contract["imageRef"] = contract["repositoryUrl"] + ":v1"
    return contracts


@pytest.fixture(scope="module")
def flow(lab_contracts, recorder, tmp_path_factory):
    """The whole flow, run once on both registries."""
    return lab("run", lab_contracts, recorder, tmp_path_factory.mktemp("flow"))


def test_both_registries_hold_demo_v1_with_the_local_image_id(flow):
    code, document, output = flow
    local_id = subprocess.run(["podman", "image", "inspect", "--format", "{{.Id}}", "demo:v1"],
                              capture_output=True, text=True, check=True).stdout.strip()

    assert code == exit_codes.OK, output
    registries = rows(document)
    assert set(registries) == {"local-a", "local-b"}
    assert registries["local-a"]["imageId"] == registries["local-b"]["imageId"] == (
        f"sha256:{local_id}")
    assert registries["local-a"]["verdict"] == "reference"
    assert registries["local-b"]["verdict"] == "same"
    assert registries["local-a"]["manifestDigest"] == registries["local-b"]["manifestDigest"]


def test_each_pull_only_identity_pulled_and_was_denied_its_push(flow, lab_contracts):
    code, document, _ = flow

    assert code == exit_codes.OK
    for name in lab_contracts:
        assert rows(document)[name]["readOnly"] == read_only.PASSED


def test_the_progress_has_one_line_per_step_and_registry(flow):
    _, _, output = flow

    for step in ("login", "push", "compare", "check-read-only"):
        for name in ("local-a", "local-b"):
            assert sum(line.startswith(f"[{step}] {name}: ") for line in output.splitlines()) == 1
    assert sum(line.startswith("[build] demo:v1: ") for line in output.splitlines()) == 1


def test_no_password_reaches_a_childs_argv_or_environment_or_any_output(flow, lab_contracts,
                                                                         recorder):
    _, _, output = flow
    calls = [json.loads(line) for line in recorder[1].read_text().splitlines()]
    secrets = passwords(lab_contracts)

    logins = [call["argv"] for call in calls if call["argv"][:1] == ["login"]]
    assert len(logins) >= 6, "push logins (twice each) and pull-only logins"
    assert all("--password-stdin" in argv for argv in logins)
    for call in calls:
        for secret in secrets:
            assert secret not in " ".join(call["argv"]), call["argv"]
            assert all(secret not in value for value in call["environ"].values())
    for secret in secrets:
        assert secret not in output


def test_compare_reports_a_registry_that_holds_another_image(flow, lab_contracts, recorder,
                                                             tmp_path):
    other = tmp_path / "other"
    other.mkdir()
    (other / "note.txt").write_text("not the demo image\n")
    (other / "Dockerfile").write_text("FROM scratch\nCOPY note.txt /note.txt\n")
    cli = ContainerCli("podman")
    cli.build(other, "registry-lab-other:v1")

    contracts = json.loads(json.dumps(lab_contracts))
    b = contracts["local-b"]
    b["repositoryUrl"] = b["repositoryUrl"].replace("/lab-flow", "/other")
    b["imageRef"] = b["repositoryUrl"] + ":v1"
    cli.tag("registry-lab-other:v1", b["imageRef"])
    log_in(cli, b, PUSH)
    cli.push(b["imageRef"], b["details"]["certDir"])

    code, document, output = lab("compare", contracts, recorder, tmp_path)

    assert code == exit_codes.DIFFERS, output
    registries = rows(document)
    assert registries["local-b"]["verdict"] == "differs"
    assert registries["local-b"]["imageId"] != registries["local-a"]["imageId"]
    assert f"local-b: {b['imageRef']} is not the same image" in document["failures"][0]


def test_a_wrong_pull_only_password_fails_the_check(flow, lab_contracts, recorder, tmp_path):
    contracts = json.loads(json.dumps(lab_contracts))
    contracts["local-a"]["pullOnlyCredentials"]["password"] = "not-the-password"

    code, document, output = lab("check-read-only", contracts, recorder, tmp_path)

    assert code == exit_codes.READ_ONLY_FAILED, output
    registries = rows(document)
    assert registries["local-a"]["readOnly"] == "failed"
    assert registries["local-b"]["readOnly"] == read_only.PASSED
    assert "local-a: pull-only check failed: could not log in" in document["failures"][0]
    assert "unauthorized (401)" in document["failures"][0]


def test_a_wrong_push_password_is_a_clear_401(flow, lab_contracts, recorder, tmp_path):
    contracts = {"local-a": json.loads(json.dumps(lab_contracts["local-a"]))}
    contracts["local-a"]["pushCredentials"]["password"] = "not-the-password"

    code, document, _ = lab("push", contracts, recorder, tmp_path)

    assert code == exit_codes.UNAUTHORIZED
    host = contracts["local-a"]["registryHost"]
    assert document["failures"] == [
        f'local-a: login to {host}: unauthorized (401): wrong username or password, or no login '
        f'(Error: logging into "{host}": invalid username/password)']


def test_a_stopped_registry_is_a_clear_unreachable_error(flow, lab_contracts, offline_lab_dir,
                                                         recorder, tmp_path):
    contracts = {"local-b": lab_contracts["local-b"]}
    host, reference = contracts["local-b"]["registryHost"], contracts["local-b"]["imageRef"]

    with registry_stopped(offline_lab_dir, "local-b", ("front",)):
        push_code, pushed, _ = lab("push", contracts, recorder, tmp_path)
        compare_code, compared, _ = lab("compare", contracts, recorder, tmp_path)

    assert push_code == compare_code == exit_codes.UNREACHABLE
    # The push's fresh login is what meets the stopped registry first.
    assert pushed["failures"][0].startswith(
        f"local-b: login to {host}: the registry is unreachable (")
    assert "connection refused" in pushed["failures"][0]
    assert compared["failures"] == [
        f"local-b: {reference}: the registry is unreachable (Connection refused)"]


def lab_contracts_in(workdir):
    return json.loads((workdir / "contracts.json").read_text())


def test_the_offline_command_runs_the_lab_and_down_leaves_nothing_behind(recorder, tmp_path):
    workdir = tmp_path / "lab"

    def offline(*args):
        return subprocess.run(
            [sys.executable, "-m", "registry_lab.lab.cli", "offline", *args, "--workdir",
             str(workdir)], cwd=ROOT, env=LAB_ENVIRON, capture_output=True, text=True,
            timeout=600, stdin=subprocess.DEVNULL)

    ran = offline("run", "--cli", str(recorder[0]), "--json")
    secrets = passwords(json.loads((workdir / "contracts.json").read_text()))
    ports = lab_ports(workdir)
    again = offline("up")
    hosts = [contract["registryHost"] for contract in lab_contracts_in(workdir).values()]
    logged_in = subprocess.run(
        [sys.executable, "-m", "registry_lab.lab.cli", "login", "--contracts",
         str(workdir / "contracts.json"), "--cli", str(recorder[0])], cwd=ROOT, env=LAB_ENVIRON,
        capture_output=True, text=True, timeout=600, stdin=subprocess.DEVNULL)
    offline_lab.stop_registry(workdir, "local-b", ("front",))
    broken_up = offline("up")
    downed = offline("down")
    downed_twice = offline("down")

    assert ran.returncode == exit_codes.OK, ran.stderr
    document = json.loads(ran.stdout)
    assert [row["verdict"] for row in document["registries"]] == ["reference", "same"]
    assert [row["readOnly"] for row in document["registries"]] == [read_only.PASSED] * 2
    assert again.returncode == exit_codes.OK, again.stderr
    assert "[offline] lab: already up" in again.stderr
    assert broken_up.returncode == exit_codes.OFFLINE_LAB, broken_up.stderr
    assert "starting" not in broken_up.stderr
    assert f"local-b front (nginx on {hosts[1]}) is not running" in broken_up.stderr
    assert f"'scripts/lab offline down --workdir {workdir}' then" in broken_up.stderr
    assert downed.returncode == exit_codes.OK, downed.stderr
    assert "[offline] local-a: stopped front (nginx, pid " in downed.stderr
    assert logged_in.returncode == exit_codes.OK, logged_in.stderr
    assert f"[offline] local-a: podman holds no login for {hosts[0]}" in downed.stderr
    for host in hosts:
        still = subprocess.run(["podman", "login", "--get-login", host], capture_output=True)
        assert still.returncode != 0, f"podman is still logged in to {host}"
        assert not [name for name in local_image_names() if name.startswith(host + "/")], (
            f"a local tag for {host} is left")
    assert not workdir.exists()
    assert (downed_twice.returncode, downed_twice.stderr) == (
        exit_codes.OK, "[offline] lab: was not running\n")
    for port in ports:
        with socket.socket() as probe:
            assert probe.connect_ex(("127.0.0.1", port)) != 0, f"port {port} still answers"
    for secret in secrets:
        assert secret not in ran.stdout + ran.stderr + again.stdout + again.stderr + downed.stderr
