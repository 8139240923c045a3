"""The container CLI wrapper: passwords on stdin only, and failures read from stderr."""

import pytest

from registry_lab.lab import container_cli, exit_codes, failures, read_only
from registry_lab.lab.container_cli import ContainerCli, classify
from registry_lab.lab.login import RegistryLogin
from tests.unit.fake_cli import FakeCli

PASSWORD = "s3cret-Pa55word"
LOGIN = RegistryLogin("127.0.0.1:5000", "pusher", PASSWORD)
REF = "127.0.0.1:5000/registry-lab/demo:v1"


@pytest.fixture
def fake(tmp_path):
    return FakeCli(tmp_path)


def test_login_sends_the_password_on_stdin_only(fake):
    ContainerCli(str(fake.path)).login(LOGIN)

    login = [call for call in fake.calls() if call["argv"][0] == "login"][0]
    assert login["argv"] == ["login", "--username", "pusher", "--password-stdin",
                             "127.0.0.1:5000"]
    assert login["stdin"] == PASSWORD + "\n"
    assert PASSWORD not in " ".join(login["argv"])
    assert all(PASSWORD not in value for value in login["environ"].values())


def test_a_refused_login_is_unauthorized_and_never_quotes_the_password(fake):
    fake.answer("login", rc=125, stderr=f'Error: logging into "127.0.0.1:5000": invalid '
                                        f'username/password for {PASSWORD}\n')

    with pytest.raises(failures.Unauthorized) as error:
        ContainerCli(str(fake.path)).login(LOGIN)

    assert str(error.value).startswith("login to 127.0.0.1:5000: unauthorized (401)")
    assert PASSWORD not in str(error.value)
    assert "***" in str(error.value)


def test_podman_gets_the_contracts_cert_dir(fake):
    ContainerCli(str(fake.path)).push(REF, cert_dir="/lab/certs")

    assert fake.commands() == [["push", "--cert-dir", "/lab/certs", REF]]


def test_docker_is_never_given_podmans_cert_dir_flag(tmp_path):
    fake = FakeCli(tmp_path, version="Docker version 27.3.1, build ce12230")

    ContainerCli(str(fake.path)).pull(REF, cert_dir="/lab/certs")

    assert fake.commands() == [["pull", REF]]


def test_podman_builds_with_fixed_timestamps(fake, tmp_path):
    ContainerCli(str(fake.path)).build(tmp_path, "demo:v1")

    assert fake.commands() == [["build", "--timestamp", "0", "--tag", "demo:v1",
                                str(tmp_path)]]


def test_docker_builds_with_source_date_epoch(tmp_path):
    fake = FakeCli(tmp_path, version="Docker version 27.3.1, build ce12230")

    ContainerCli(str(fake.path)).build(tmp_path, "demo:v1")

    build = [call for call in fake.calls() if call["argv"][0] == "build"][0]
    assert build["environ"]["SOURCE_DATE_EPOCH"] == "0"


def test_a_missing_cli_says_how_to_pick_another(tmp_path):
    with pytest.raises(failures.CliMissing) as error:
        ContainerCli(str(tmp_path / "no-such-cli")).tag("demo:v1", REF)

    assert "is not installed or not on PATH" in str(error.value)
    assert "REGISTRY_LAB_CLI" in str(error.value)
    assert error.value.exit_code == exit_codes.CONTAINER_CLI


def test_the_cli_comes_from_the_option_then_the_environment_then_docker():
    assert container_cli.cli_from("podman", {"REGISTRY_LAB_CLI": "nerdctl"}).program == "podman"
    assert container_cli.cli_from(None, {"REGISTRY_LAB_CLI": "nerdctl"}).program == "nerdctl"
    assert container_cli.cli_from(None, {}).program == "docker"


@pytest.mark.parametrize("stderr, kind, exit_code", [
    ("Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker "
     "daemon running?", failures.DaemonDown, exit_codes.CONTAINER_CLI),
    ("Error: unable to connect to Podman socket: Cannot connect to Podman.",
     failures.DaemonDown, exit_codes.CONTAINER_CLI),
    ("permission denied while trying to connect to the Docker daemon socket at "
     "unix:///var/run/docker.sock: Get \"http://%2Fvar%2Frun%2Fdocker.sock/v1.47/images/json\": "
     "dial unix /var/run/docker.sock: connect: permission denied", failures.DaemonDown,
     exit_codes.CONTAINER_CLI),
    ("Error: trying to reuse blob sha256:c677e884 at destination: checking whether a blob "
     "exists in 127.0.0.1:45355/registry-lab/demo: unauthorized: authentication required",
     failures.Unauthorized, exit_codes.UNAUTHORIZED),
    ("Error: writing manifest: uploading manifest v1 to 127.0.0.1:45355/registry-lab/demo: "
     "denied: pull-only", failures.Denied, exit_codes.DENIED),
    ("Error: pinging container registry 127.0.0.1:1: Get \"https://127.0.0.1:1/v2/\": dial tcp "
     "127.0.0.1:1: connect: connection refused", failures.Unreachable, exit_codes.UNREACHABLE),
    ("Error: pinging container registry 127.0.0.1:45355: Get \"https://127.0.0.1:45355/v2/\": "
     "x509: certificate signed by unknown authority", failures.Unreachable,
     exit_codes.UNREACHABLE),
    ("toomanyrequests: You have reached your pull rate limit.", failures.RateLimited,
     exit_codes.RATE_LIMITED),
    ("Error: reading manifest v1: received unexpected HTTP status: 503 Service Unavailable",
     failures.ServerError, exit_codes.SERVER_ERROR),
    ("tag invalid: The image tag 'v1' already exists in the 'registry-lab/demo' repository and "
     "cannot be overwritten because the repository is immutable.", failures.ImmutableTag,
     exit_codes.IMMUTABLE_TAG),
    ("denied: Your authorization token has expired. Reauthenticate and try again.",
     failures.TokenExpired, exit_codes.UNAUTHORIZED),
    ("Error: reading manifest v2 in 127.0.0.1:5000/registry-lab/demo: manifest unknown",
     failures.NotFound, exit_codes.NOT_FOUND),
])
def test_stderr_is_classified_into_one_failure_with_its_exit_code(stderr, kind, exit_code):
    failure = classify(stderr, "push", REF)

    assert type(failure) is kind
    assert failure.exit_code == exit_code
    assert str(failure).startswith(f"push {REF}: ")
    assert "\n" not in str(failure)


def test_the_quoted_line_is_the_one_that_named_the_failure_not_the_last_error():
    stderr = ("ERROR: failed to solve: failed to push: Cannot connect to the Docker daemon at "
              "unix:///var/run/docker.sock. Is the docker daemon running?\n"
              "ERROR: Can't close tar writer: io: read/write on closed pipe\n")

    failure = classify(stderr, "build", "demo:v1")

    assert type(failure) is failures.DaemonDown
    assert "Can't close tar writer" not in str(failure)
    assert str(failure).endswith("Is the docker daemon running?)")


def test_ports_and_digests_are_not_read_as_status_codes():
    failure = classify("Error: something odd at 127.0.0.1:503 for sha256:5031abc", "pull", REF)

    assert type(failure) is failures.CliFailed


def test_the_local_image_id_is_a_sha256_digest(fake):
    fake.answer("image", stdout="24b34d4110769ca8\n")

    assert ContainerCli(str(fake.path)).image_id("demo:v1") == "sha256:24b34d4110769ca8"


@pytest.mark.parametrize("stderr", [
    "Error: writing manifest: uploading manifest v1 to 127.0.0.1:5000/registry-lab/demo: "
    "denied: requested access to the resource is denied",
    'Error: initiating layer upload: errors: {"code":"DENIED","message":"pull-only"}',
    "Error: reading manifest v1: received unexpected HTTP status: 403 Forbidden",
    "denied: User: arn:aws:sts::123456789012:assumed-role/puller/s is not authorized to "
    "perform: ecr:InitiateLayerUpload on resource: arn:aws:ecr:eu-west-1:123456789012:"
    "repository/registry-lab because no identity-based policy allows the action",
    'denied: Permission "artifactregistry.repositories.uploadArtifacts" denied on resource '
    '"projects/p/locations/europe-west1/repositories/registry-lab" (or it may not exist)',
])
def test_a_registrys_own_refusal_is_a_denial(stderr):
    assert type(classify(stderr, "push", REF)) is failures.Denied


@pytest.mark.parametrize("stderr, kind", [
    ("Error: copying layer: open /var/tmp/storage123/blob: permission denied",
     failures.CliFailed),
    ("Error: writing blob: received unexpected HTTP status: 500 Internal Server Error "
     "(mkdir /var/lib/registry/docker: permission denied)", failures.ServerError),
    ("Error: dial unix /run/podman/podman.sock: connect: permission denied",
     failures.CliFailed),
    ("Error: something went wrong nobody expected", failures.CliFailed),
])
def test_a_local_error_or_a_5xx_that_mentions_denied_is_no_denial(stderr, kind):
    assert type(classify(stderr, "push", REF)) is kind


def test_a_local_permission_error_on_push_fails_the_pull_only_check(fake):
    contract = {"cloud": "local", "registryHost": "127.0.0.1:5000", "imageRef": REF,
                "details": {}, "pullOnlyIdentity": {"method": "basic"},
                "pullOnlyCredentials": {"username": "puller", "password": PASSWORD}}
    fake.answer("push", rc=125, stderr="Error: copying layer: open /var/tmp/storage1/blob: "
                                       "permission denied\n")

    with pytest.raises(read_only.CheckFailed) as error:
        read_only.check_one(contract, ContainerCli(str(fake.path)))

    assert "the push failed without a denial" in str(error.value)


def test_podmans_bare_denied_at_the_end_of_its_error_is_a_denial():
    stderr = ("Error: writing manifest: uploading manifest v1 to 127.0.0.1:5000/registry-lab/"
              "demo: denied\n")

    assert type(classify(stderr, "push", REF)) is failures.Denied
