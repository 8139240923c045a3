"""Docker Hub's login contract, made from DOCKERHUB_* variables."""

import pytest

from registry_lab.contract import CLOUDS, CONTRACT_KEYS, LOGIN_METHODS
from registry_lab.lab.adapters import login_for
from registry_lab.lab.dockerhub import (
    PULL_ONLY_SKIP_REASON,
    DockerHubSettingsError,
    dockerhub_contract,
)
from registry_lab.lab.login import PULL_ONLY, PUSH, LoginError, RegistryLogin

ENVIRON = {"DOCKERHUB_NAMESPACE": "labteam", "DOCKERHUB_TOKEN": "dckr_pat_example-token"}


def test_without_the_variables_docker_hub_is_left_out():
    assert dockerhub_contract({}) is None
    assert dockerhub_contract({"DOCKERHUB_NAMESPACE": "", "DOCKERHUB_TOKEN": ""}) is None


def test_the_contract_names_docker_io_and_the_demo_repository():
    assert dockerhub_contract(ENVIRON) == {
        "cloud": "dockerhub",
        "registryHost": "docker.io",
        "repositoryUrl": "docker.io/labteam/registry-lab-demo",
        "imageRef": "docker.io/labteam/registry-lab-demo:v1",
        "loginCommand": "docker login docker.io --username labteam --password-stdin",
        "details": {
            "namespace": "labteam",
            "apiHost": "registry-1.docker.io",
            "authHost": "auth.docker.io",
            "pullOnlySkipReason": PULL_ONLY_SKIP_REASON,
        },
        "pushIdentity": {"method": "basic", "username": "labteam"},
        "pullOnlyIdentity": {"method": "none"},
        "pushCredentials": {"username": "labteam", "password": "dckr_pat_example-token"},
        "pullOnlyCredentials": None,
    }


def test_the_contract_has_exactly_the_keys_of_every_other_contract():
    contract = dockerhub_contract(ENVIRON)

    assert tuple(contract) == CONTRACT_KEYS
    assert contract["cloud"] in CLOUDS
    assert {contract["pushIdentity"]["method"], contract["pullOnlyIdentity"]["method"]} <= set(
        LOGIN_METHODS
    )


def test_a_username_other_than_the_namespace_logs_in_and_pushes_to_the_namespace():
    contract = dockerhub_contract(dict(ENVIRON, DOCKERHUB_USERNAME="alice"))

    assert contract["repositoryUrl"] == "docker.io/labteam/registry-lab-demo"
    assert contract["pushIdentity"] == {"method": "basic", "username": "alice"}
    assert contract["pushCredentials"]["username"] == "alice"
    assert "--username alice" in contract["loginCommand"]


def test_the_token_is_only_in_the_push_credentials():
    contract = dockerhub_contract(ENVIRON)

    public = {key: value for key, value in contract.items() if key != "pushCredentials"}
    assert "dckr_pat_example-token" not in repr(public)


def test_the_push_login_is_the_basic_adapter_with_the_token_as_password():
    login = login_for(dockerhub_contract(ENVIRON), PUSH)

    assert login == RegistryLogin("docker.io", "labteam", "dckr_pat_example-token")


def test_there_is_no_pull_only_login_to_make():
    with pytest.raises(LoginError) as error:
        login_for(dockerhub_contract(ENVIRON), PULL_ONLY)

    assert str(error.value).startswith("docker.io: pull-only login method 'none' is not one of")


@pytest.mark.parametrize("present, missing", [
    ("DOCKERHUB_NAMESPACE", "DOCKERHUB_TOKEN"),
    ("DOCKERHUB_TOKEN", "DOCKERHUB_NAMESPACE"),
])
def test_one_variable_without_the_other_is_an_error_naming_the_missing_one(present, missing):
    with pytest.raises(DockerHubSettingsError) as error:
        dockerhub_contract({present: ENVIRON[present], "DOCKERHUB_USERNAME": "alice"})

    assert str(error.value) == (
        f"{missing} is not set but {present} is: set both to push to Docker Hub, or neither "
        "to leave it out"
    )


@pytest.mark.parametrize("variable, value", [
    ("DOCKERHUB_NAMESPACE", "LabTeam"),
    ("DOCKERHUB_NAMESPACE", "lab/team"),
    ("DOCKERHUB_USERNAME", "-alice"),
])
def test_a_namespace_or_username_that_cannot_be_in_a_reference_is_refused(variable, value):
    with pytest.raises(DockerHubSettingsError) as error:
        dockerhub_contract(dict(ENVIRON, **{variable: value}))

    assert str(error.value) == (
        f"{variable}={value!r}: must be lowercase letters and digits, optionally separated "
        "by '.', '_' or '-'"
    )


def test_a_token_with_a_pasted_newline_is_refused_without_showing_it():
    with pytest.raises(DockerHubSettingsError) as error:
        dockerhub_contract(dict(ENVIRON, DOCKERHUB_TOKEN="dckr_pat_secret\n"))

    assert str(error.value).startswith("DOCKERHUB_TOKEN holds whitespace or control characters")
    assert "dckr_pat_secret" not in str(error.value)
