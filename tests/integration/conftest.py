"""Fixtures that run the offline lab's real registry servers on 127.0.0.1 for a test session.

Fixtures:
  offline_lab_dir   session: the lab's workdir (under pytest's tmp dir); pass it to
                    registry_lab.lab.offline.stop_registry / start_registry / status
  offline_lab       session: {"local-a": contract, "local-b": contract}, both registries
                    answering; everything is stopped and removed when the session ends
  contracts_file    session: the contracts JSON file the lab wrote (mode 0600), for code that
                    reads contracts from a file

Helpers in tests.integration.lab_helpers:
  registry_session(contract, role)   requests.Session trusting only the lab CA, role PUSH,
                                     PULL_ONLY (registry_lab.lab.login) or None (anonymous)
  api_url(contract, path)            https://HOST/v2/PATH;  repository_path(contract)
  credentials_of(contract, role)     (username, password)
  write_auth_file(path, contract, role)  auth.json for podman/skopeo --authfile (0600)
  build_oci_layout(dir, files, tag)  a reproducible one-layer image as an OCI layout on disk;
                                     returns its manifest, config and layer digests
  skopeo_copy(source, contract, role, auth_dir, destination=None)  copy as role, no password
                                     in argv; returns the CompletedProcess
  registry_stopped(workdir, name, parts)  context manager: stop a registry's front and/or
                                     backend for the block ("registry unreachable"), restart
  lab_pids(workdir), lab_ports(workdir)  the lab's server pids (nginx workers too) and ports
  process_command_lines()            {pid: argv bytes} of every process, to look for secrets
"""

import pytest

from registry_lab.lab import offline


@pytest.fixture(scope="session")
def offline_lab_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("offline-lab")


@pytest.fixture(scope="session")
def offline_lab(offline_lab_dir):
    contracts = offline.start(offline_lab_dir)
    try:
        yield contracts
    finally:
        offline.stop(offline_lab_dir)


@pytest.fixture(scope="session")
def contracts_file(offline_lab, offline_lab_dir):
    return offline_lab_dir / offline.CONTRACTS_FILE
