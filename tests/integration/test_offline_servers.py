"""The offline lab's registry servers, driven for real over HTTPS and with skopeo."""

import hashlib
import json
import os
import signal
import socket
import ssl
import stat

import pytest
import requests

from registry_lab.contract import CONTRACT_KEYS
from registry_lab.lab import cli, exit_codes, offline
from registry_lab.lab.login import PULL_ONLY, PUSH
from registry_lab.lab.offline import lab as offline_lab_module
from registry_lab.lab.offline import processes
from registry_lab.lab.offline.state import has_state, load_state
from tests.integration.lab_helpers import (api_url, build_oci_layout, children_of,
                                           credentials_of, lab_pids, lab_ports,
                                           process_command_lines, registry_session,
                                           registry_stopped,
                                           repository_path, skopeo_copy)

DENIED = {"errors": [{"code": "DENIED", "message": "requested access to the resource is denied",
                      "detail": None}]}
UNAUTHORIZED = {"errors": [{"code": "UNAUTHORIZED", "message": "authentication required",
                            "detail": None}]}
MANIFEST_TYPES = ("application/vnd.oci.image.manifest.v1+json, "
                  "application/vnd.docker.distribution.manifest.v2+json")


@pytest.fixture(scope="module")
def pushed_image(offline_lab, tmp_path_factory):
    """A tiny image the pusher copied into local-a with skopeo."""
    work = tmp_path_factory.mktemp("image")
    image = build_oci_layout(work / "layout", {"hello.txt": b"registry-lab offline\n"})
    copy = skopeo_copy(image.reference, offline_lab["local-a"], PUSH, work)
    assert copy.returncode == 0, f"skopeo copy as pusher failed: {copy.stderr}"
    return image


def manifest_url(contract, reference):
    return api_url(contract, f"{repository_path(contract)}/manifests/{reference}")


def blob_url(contract, digest):
    return api_url(contract, f"{repository_path(contract)}/blobs/{digest}")


def test_pusher_push_lands_the_image_in_the_registry_with_its_digests(offline_lab,
                                                                     pushed_image):
    contract = offline_lab["local-a"]
    with registry_session(contract, PUSH) as session:
        head = session.head(manifest_url(contract, "v1"), headers={"Accept": MANIFEST_TYPES})
        tags = session.get(api_url(contract, f"{repository_path(contract)}/tags/list"))

    assert head.status_code == 200
    assert head.headers["Docker-Content-Digest"] == pushed_image.manifest_digest
    assert tags.json() == {"name": "registry-lab/demo", "tags": ["v1"]}


def test_pull_only_user_reads_api_root_manifest_and_blob(offline_lab, pushed_image):
    contract = offline_lab["local-a"]
    with registry_session(contract, PULL_ONLY) as session:
        root = session.get(api_url(contract))
        head = session.head(manifest_url(contract, "v1"), headers={"Accept": MANIFEST_TYPES})
        manifest = session.get(manifest_url(contract, "v1"), headers={"Accept": MANIFEST_TYPES})
        blob = session.get(blob_url(contract, pushed_image.layer_digest))

    assert root.status_code == 200
    assert head.status_code == 200
    assert head.headers["Docker-Content-Digest"] == pushed_image.manifest_digest
    assert manifest.json()["config"]["digest"] == pushed_image.config_digest
    assert blob.status_code == 200
    assert "sha256:" + hashlib.sha256(blob.content).hexdigest() == pushed_image.layer_digest


@pytest.mark.parametrize("method,path", [
    ("POST", "blobs/uploads/"),
    ("PUT", "manifests/v2"),
    ("PATCH", "blobs/uploads/00000000-0000-0000-0000-000000000000"),
    ("DELETE", "manifests/v1"),
])
def test_pull_only_writes_are_refused_with_403_denied(offline_lab, pushed_image, method,
                                                       path):
    contract = offline_lab["local-a"]
    with registry_session(contract, PULL_ONLY) as session:
        answer = session.request(method, api_url(contract, f"{repository_path(contract)}/{path}"),
                                 data=b"{}")
        still_there = session.head(manifest_url(contract, "v1"),
                                   headers={"Accept": MANIFEST_TYPES})

    assert answer.status_code == 403, f"{method} {path} as pull-only: {answer.status_code}"
    assert answer.json() == DENIED
    assert answer.headers["Docker-Distribution-Api-Version"] == "registry/2.0"
    assert still_there.status_code == 200


def test_pull_only_push_with_skopeo_fails_as_denied(offline_lab, tmp_path):
    image = build_oci_layout(tmp_path / "layout", {"other.txt": b"not allowed\n"})
    contract = offline_lab["local-b"]

    copy = skopeo_copy(image.reference, contract, PULL_ONLY, tmp_path)

    assert copy.returncode != 0
    assert "denied" in copy.stderr
    # Other tests may have pushed demo:v1 here; what must be absent is this image's manifest.
    with registry_session(contract, PUSH) as session:
        head = session.head(
            manifest_url(contract, image.manifest_digest), headers={"Accept": MANIFEST_TYPES}
        )
    assert head.status_code == 404


@pytest.mark.parametrize("role,password,method", [
    (None, None, "GET"),
    (PUSH, "wrong", "GET"),
    (PULL_ONLY, "wrong", "POST"),
    (PULL_ONLY, "", "DELETE"),
    ("nobody", "wrong", "PUT"),
])
def test_missing_or_wrong_password_gets_401_with_a_basic_challenge(offline_lab, role,
                                                                    password, method):
    contract = offline_lab["local-b"]
    session = registry_session(contract)
    if role is not None:
        username = role if role == "nobody" else credentials_of(contract, role)[0]
        session.auth = (username, password)

    with session:
        answer = session.request(method, api_url(contract, "registry-lab/demo/blobs/uploads/"))

    assert answer.status_code == 401
    assert answer.headers["WWW-Authenticate"] == 'Basic realm="registry-lab local-b"'
    assert answer.headers["Docker-Distribution-Api-Version"] == "registry/2.0"
    assert answer.json() == UNAUTHORIZED


def test_tls_verifies_with_the_lab_ca_only(offline_lab):
    contract = offline_lab["local-a"]
    host, port = contract["registryHost"].split(":")

    trusting_lab_ca = ssl.create_default_context(cafile=contract["details"]["caFile"])
    with socket.create_connection((host, int(port)), timeout=5) as raw:
        with trusting_lab_ca.wrap_socket(raw, server_hostname=host) as tls:
            names = tls.getpeercert()["subjectAltName"]

    assert ("IP Address", "127.0.0.1") in names and ("DNS", "localhost") in names
    with pytest.raises(requests.exceptions.SSLError):
        requests.Session().get(api_url(contract), verify=True, timeout=5)
    assert os.listdir(contract["details"]["certDir"]) == ["ca.crt"]


def test_large_blob_streams_through_in_chunks(offline_lab):
    contract = offline_lab["local-b"]
    blob = os.urandom(24 * 1024 * 1024)
    digest = "sha256:" + hashlib.sha256(blob).hexdigest()
    pieces = (blob[start:start + 1024 * 1024] for start in range(0, len(blob), 1024 * 1024))

    with registry_session(contract, PUSH) as session:
        upload = session.post(api_url(contract, f"{repository_path(contract)}/blobs/uploads/"))
        patch = session.patch(upload.headers["Location"], data=pieces,
                              headers={"Content-Type": "application/octet-stream"})
        done = session.put(patch.headers["Location"], params={"digest": digest})
    with registry_session(contract, PULL_ONLY) as session:
        head = session.head(blob_url(contract, digest))

    assert (upload.status_code, patch.status_code, done.status_code) == (202, 202, 201)
    assert int(head.headers["Content-Length"]) == len(blob)


def test_contracts_file_holds_the_contract_keys_and_is_private(offline_lab, contracts_file):
    written = json.loads(contracts_file.read_text())

    assert stat.S_IMODE(contracts_file.stat().st_mode) == 0o600
    assert written == offline_lab
    for name, contract in written.items():
        assert tuple(contract) == CONTRACT_KEYS, name
        assert contract["cloud"] == "local"
        assert contract["imageRef"] == f"{contract['registryHost']}/registry-lab/demo:v1"
        assert contract["pushIdentity"] == {"method": "basic", "username": "lab-pusher"}
        assert contract["pullOnlyIdentity"] == {"method": "basic", "username": "lab-puller"}
        assert contract["pushCredentials"]["password"] not in contract["loginCommand"]
    hosts = {contract["registryHost"] for contract in written.values()}
    assert len(hosts) == 2 and all(host.startswith("127.0.0.1:") for host in hosts)


def test_no_password_in_any_process_argv_or_server_environment(offline_lab, offline_lab_dir,
                                                                pushed_image):
    passwords = [credentials_of(contract, role)[1].encode()
                 for contract in offline_lab.values() for role in (PUSH, PULL_ONLY)]
    server_pids = lab_pids(offline_lab_dir)

    command_lines = process_command_lines()
    environments = {pid: open(f"/proc/{pid}/environ", "rb").read() for pid in server_pids}

    assert len(server_pids) >= 6, "two registries and two nginx masters with workers"
    assert set(server_pids) <= set(command_lines)
    for password in passwords:
        assert not any(password in argv for argv in command_lines.values())
        assert not any(password in environment for environment in environments.values())


def test_stopping_a_front_refuses_connections_and_restarting_it_serves_again(offline_lab,
                                                                             offline_lab_dir):
    stopped_contract, other = offline_lab["local-b"], offline_lab["local-a"]
    host, port = stopped_contract["registryHost"].split(":")

    with registry_stopped(offline_lab_dir, "local-b", ("front",)) as stopped:
        with pytest.raises(ConnectionRefusedError):
            socket.create_connection((host, int(port)), timeout=5).close()
        with registry_session(other, PUSH) as session:
            assert session.get(api_url(other)).status_code == 200
        state = offline.status(offline_lab_dir)["local-b"]

    assert [entry["part"] for entry in stopped] == ["front"]
    assert not state["front"]["running"] and state["backend"]["running"]
    with registry_session(stopped_contract, PUSH) as session:
        assert session.get(api_url(stopped_contract)).status_code == 200


def test_stopping_a_backend_leaves_the_front_answering_502(offline_lab, offline_lab_dir):
    contract = offline_lab["local-b"]

    with registry_stopped(offline_lab_dir, "local-b", ("backend",)):
        with registry_session(contract, PUSH) as session:
            answer = session.get(api_url(contract))

    assert answer.status_code == 502
    with registry_session(contract, PUSH) as session:
        assert session.get(api_url(contract)).status_code == 200


def test_stop_leaves_no_process_port_or_file_and_is_idempotent(tmp_path):
    workdir = tmp_path / "lab"
    offline.start(workdir)
    pids, ports = lab_pids(workdir), lab_ports(workdir)

    stopped = offline.stop(workdir)

    assert len(pids) >= 6 and len(ports) == 4
    assert {(entry["registry"], entry["part"]) for entry in stopped} == {
        (name, part) for name in offline.REGISTRY_NAMES for part in offline.PARTS}
    assert not [pid for pid in pids if processes.is_running(pid)]
    for port in ports:
        with pytest.raises(ConnectionRefusedError):
            socket.create_connection(("127.0.0.1", port), timeout=5).close()
    assert not workdir.exists()
    assert offline.stop(workdir) == []


def test_failed_start_stops_what_it_started_and_says_why(tmp_path, monkeypatch):
    workdir = tmp_path / "lab"
    taken = socket.socket()
    taken.bind(("127.0.0.1", 0))
    taken.listen()
    taken_port = taken.getsockname()[1]
    real_ports = offline_lab_module._distinct_free_ports
    # The last front port picked is already taken by the time nginx binds it: a real race.
    monkeypatch.setattr(offline_lab_module, "_distinct_free_ports",
                        lambda count: [taken_port, *real_ports(count - 1)])
    seen = []
    real_launch = processes.launch

    def recording_launch(argv, log):
        seen.append(real_launch(argv, log))
        return seen[-1]

    monkeypatch.setattr(processes, "launch", recording_launch)

    with taken, pytest.raises(offline.OfflineLabError) as error:
        offline.start(workdir)

    assert str(error.value) == f"local-b front: 127.0.0.1:{taken_port} is taken by another program"
    assert len(seen) == 3
    assert not [pid for pid in seen if processes.is_running(pid)]
    assert not workdir.exists()


def test_starting_again_over_a_running_lab_is_refused_and_leaves_it_running(offline_lab,
                                                                            offline_lab_dir):
    with pytest.raises(offline.OfflineLabError, match="already runs"):
        offline.start(offline_lab_dir)

    contract = offline_lab["local-a"]
    with registry_session(contract, PUSH) as session:
        assert session.get(api_url(contract)).status_code == 200


def recorded_pid(workdir, name, part):
    return load_state(workdir)["registries"][name][part]["pid"]


def assert_nothing_left(pids, ports):
    assert [pid for pid in pids if processes.is_running(pid)] == []
    for port in ports:
        with pytest.raises(ConnectionRefusedError):
            socket.create_connection(("127.0.0.1", port), timeout=5).close()


def test_stop_after_leaders_were_killed_stops_their_orphaned_workers_too(tmp_path):
    workdir = tmp_path / "lab"
    offline.start(workdir)
    pids, ports = lab_pids(workdir), lab_ports(workdir)
    front_master = recorded_pid(workdir, "local-b", "front")
    worker = children_of(front_master)[0]
    # The nginx master dies without telling its worker, and one backend dies as well.
    os.kill(front_master, signal.SIGKILL)
    os.kill(recorded_pid(workdir, "local-a", "backend"), signal.SIGKILL)
    processes._wait_gone([front_master], 5)

    stopped = offline.stop(workdir)

    assert {(entry["registry"], entry["part"]) for entry in stopped} == {
        ("local-a", "front"), ("local-b", "front"), ("local-b", "backend")}
    assert not processes.is_running(worker), "the orphaned nginx worker must be stopped"
    assert_nothing_left(pids, ports)
    assert not workdir.exists()


def test_restarting_a_front_whose_master_was_killed_replaces_its_orphaned_worker(tmp_path):
    workdir = tmp_path / "lab"
    contracts = offline.start(workdir)
    try:
        front_master = recorded_pid(workdir, "local-a", "front")
        worker = children_of(front_master)[0]
        os.kill(front_master, signal.SIGKILL)
        processes._wait_gone([front_master], 5)

        started = offline.start_registry(workdir, "local-a", ("front",))

        assert [entry["part"] for entry in started] == ["front"]
        assert not processes.is_running(worker)
        with registry_session(contracts["local-a"], PUSH) as session:
            assert session.get(api_url(contracts["local-a"])).status_code == 200
    finally:
        offline.stop(workdir)


def test_down_that_cannot_stop_a_server_of_ours_keeps_the_state_and_exits_13(tmp_path,
                                                                            monkeypatch,
                                                                            capsys):
    workdir = tmp_path / "lab"
    offline.start(workdir)
    pids, ports = lab_pids(workdir), lab_ports(workdir)
    front_master = recorded_pid(workdir, "local-b", "front")
    # As if the front ignored every signal: nothing sent to it arrives.
    real_kill, real_killpg = os.kill, os.killpg
    deaf = set(processes.group_members(front_master))
    monkeypatch.setattr(processes.os, "kill", lambda pid, signum: None if pid in deaf
                        else real_kill(pid, signum))
    monkeypatch.setattr(processes.os, "killpg", lambda group, signum: None
                        if group == front_master else real_killpg(group, signum))
    monkeypatch.setattr(processes, "STOP_TIMEOUT", 0.3)

    code = cli.main(["offline", "down", "--workdir", str(workdir)])

    error = capsys.readouterr().err
    assert code == exit_codes.OFFLINE_LAB == 13
    assert f"local-b front: pids {', '.join(map(str, sorted(deaf)))} of ours still run" in error
    assert has_state(workdir), "the state must stay so that down can be run again"
    assert recorded_pid(workdir, "local-b", "front") == front_master
    assert all(processes.is_running(pid) for pid in deaf)
    assert {pid for pid in pids if processes.is_running(pid)} == deaf, \
        "every other server is stopped all the same"

    monkeypatch.undo()
    assert [(entry["registry"], entry["part"]) for entry in offline.stop(workdir)] == [
        ("local-b", "front")]
    assert_nothing_left(pids, ports)
    assert not workdir.exists()


def test_stop_empties_a_workdir_the_user_made_but_keeps_it(tmp_path):
    workdir = tmp_path / "mine"
    workdir.mkdir()
    offline.start(workdir)
    pids, ports = lab_pids(workdir), lab_ports(workdir)

    offline.stop(workdir)

    assert_nothing_left(pids, ports)
    assert workdir.is_dir() and list(workdir.iterdir()) == []
