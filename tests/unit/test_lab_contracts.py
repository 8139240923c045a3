"""Loading login contracts from Pulumi stacks and from contracts files."""

import json
import os
import stat

import pytest

from registry_lab.lab import contracts, exit_codes
from registry_lab.lab.failures import ContractFailure

HOST = "123456789012.dkr.ecr.eu-west-1.amazonaws.com"


def ecr_contract(**changes):
    contract = {
        "cloud": "aws",
        "registryHost": HOST,
        "repositoryUrl": f"{HOST}/registry-lab/demo",
        "imageRef": f"{HOST}/registry-lab/demo:v1",
        "loginCommand": "aws ecr get-login-password | docker login ...",
        "details": {"region": "eu-west-1"},
        "pushIdentity": {"method": "ecr-token", "region": "eu-west-1"},
        "pullOnlyIdentity": {"method": "ecr-assume-role", "roleArn": "arn:aws:iam::1:role/r"},
        "pushCredentials": None,
        "pullOnlyCredentials": None,
    }
    contract.update(changes)
    return contract


@pytest.fixture
def fake_pulumi(tmp_path, monkeypatch):
    """A `pulumi` first on PATH that prints stacks/NAME.json, or fails like Pulumi does."""
    stacks = tmp_path / "stacks"
    stacks.mkdir()
    script = tmp_path / "bin" / "pulumi"
    script.parent.mkdir()
    script.write_text(f"""#!/bin/sh
echo "$@" >> {tmp_path}/calls
while [ $# -gt 0 ]; do
  if [ "$1" = "--stack" ]; then stack=$2; fi
  shift
done
if [ -f "{stacks}/$stack.json" ]; then cat "{stacks}/$stack.json"; exit 0; fi
echo "error: no stack named '$stack' found" >&2
exit 255
""")
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("PATH", f"{script.parent}{os.pathsep}{os.environ['PATH']}")
    return stacks


def test_a_stack_is_read_with_pulumi_stack_output_and_secrets_shown(fake_pulumi, tmp_path):
    (fake_pulumi / "aws.json").write_text(json.dumps(ecr_contract()))

    loaded = contracts.load(stacks=["aws"], environ={})

    assert list(loaded) == ["aws"]
    assert loaded["aws"]["registryHost"] == HOST
    assert (tmp_path / "calls").read_text().split() == [
        "stack", "output", "--json", "--show-secrets", "--stack", "aws"]


def test_a_missing_stack_is_one_error_naming_it(fake_pulumi):
    with pytest.raises(ContractFailure) as error:
        contracts.load(stacks=["gcp"], environ={})

    assert str(error.value) == ("stack 'gcp': pulumi stack output failed: "
                                "error: no stack named 'gcp' found")
    assert error.value.exit_code == exit_codes.CONTRACT


def test_a_machine_without_pulumi_is_told_to_install_it_or_use_a_file(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))

    with pytest.raises(ContractFailure, match="the pulumi CLI is not on PATH"):
        contracts.load(stacks=["aws"], environ={})


def test_a_file_with_one_contract_is_named_after_the_file(tmp_path):
    path = tmp_path / "aws-prod.json"
    path.write_text(json.dumps(ecr_contract()))

    assert list(contracts.load(files=[path], environ={})) == ["aws-prod"]


def test_a_file_mapping_names_to_contracts_keeps_their_order(tmp_path):
    path = tmp_path / "contracts.json"
    east = ecr_contract(details={"region": "us-east-1"})
    path.write_text(json.dumps({"b": ecr_contract(), "a": east}))

    loaded = contracts.load(files=[path], environ={})

    assert list(loaded) == ["b", "a"]
    assert loaded["a"]["details"] == {"region": "us-east-1"}


def test_a_missing_file_is_named(tmp_path):
    with pytest.raises(ContractFailure, match=r"contracts file '.*nowhere.json' does not exist"):
        contracts.load(files=[tmp_path / "nowhere.json"], environ={})


def test_a_missing_key_is_named_with_its_source(tmp_path):
    contract = ecr_contract()
    del contract["registryHost"]
    path = tmp_path / "contracts.json"
    path.write_text(json.dumps({"east": contract}))

    with pytest.raises(ContractFailure) as error:
        contracts.load(files=[path], environ={})

    assert "entry 'east': key 'registryHost' is missing" in str(error.value)


def test_an_unknown_cloud_is_named_with_the_known_ones(tmp_path):
    path = tmp_path / "azure.json"
    path.write_text(json.dumps(ecr_contract(cloud="azure")))

    with pytest.raises(ContractFailure) as error:
        contracts.load(files=[path], environ={})

    assert "cloud 'azure' is unknown; known clouds: aws, gcp, digitalocean, local" in str(
        error.value)


def test_an_unknown_login_method_is_named(tmp_path):
    path = tmp_path / "aws.json"
    path.write_text(json.dumps(ecr_contract(pullOnlyIdentity={"method": "magic"})))

    with pytest.raises(ContractFailure, match="pullOnlyIdentity: login method 'magic'"):
        contracts.load(files=[path], environ={})


def test_absent_credentials_read_as_null_and_malformed_ones_are_not_quoted(tmp_path):
    contract = ecr_contract()
    del contract["pushCredentials"]
    path = tmp_path / "aws.json"
    path.write_text(json.dumps(contract))
    assert contracts.load(files=[path], environ={})["aws"]["pushCredentials"] is None

    path.write_text(json.dumps(ecr_contract(pushCredentials="hunter2-secret")))
    with pytest.raises(ContractFailure) as error:
        contracts.load(files=[path], environ={})
    assert "hunter2-secret" not in str(error.value)


def test_an_image_ref_outside_its_repository_is_refused(tmp_path):
    path = tmp_path / "aws.json"
    path.write_text(json.dumps(ecr_contract(imageRef="elsewhere/demo:v1")))

    with pytest.raises(ContractFailure, match="imageRef 'elsewhere/demo:v1' must be"):
        contracts.load(files=[path], environ={})


def test_a_registry_named_twice_is_refused(fake_pulumi, tmp_path):
    (fake_pulumi / "aws.json").write_text(json.dumps(ecr_contract()))
    path = tmp_path / "aws.json"
    path.write_text(json.dumps(ecr_contract()))

    with pytest.raises(ContractFailure, match="registry name 'aws' is named twice"):
        contracts.load(stacks=["aws"], files=[path], environ={})


def test_naming_no_registry_is_an_error():
    with pytest.raises(ContractFailure, match="pass --stack NAME or --contracts FILE"):
        contracts.load(environ={})


def test_docker_hub_joins_last_when_its_variables_are_set(tmp_path):
    path = tmp_path / "aws.json"
    path.write_text(json.dumps(ecr_contract()))
    environ = {"DOCKERHUB_NAMESPACE": "alice", "DOCKERHUB_TOKEN": "dckr_pat_secret"}

    loaded = contracts.load(files=[path], environ=environ)

    assert list(loaded) == ["aws", "dockerhub"]
    assert loaded["dockerhub"]["imageRef"] == "docker.io/alice/registry-lab-demo:v1"


def test_half_set_docker_hub_variables_are_a_contract_error(tmp_path):
    with pytest.raises(ContractFailure) as error:
        contracts.load(environ={"DOCKERHUB_TOKEN": "dckr_pat_secret"})

    assert str(error.value).startswith("Docker Hub: DOCKERHUB_NAMESPACE is not set")
    assert "dckr_pat_secret" not in str(error.value)


def test_pulumi_reads_the_stack_in_the_project_folder_wherever_the_caller_is(fake_pulumi,
                                                                             tmp_path,
                                                                             monkeypatch):
    (fake_pulumi / "aws.json").write_text(json.dumps(ecr_contract()))
    script = tmp_path / "bin" / "pulumi"
    recording = f"#!/bin/sh\npwd > {tmp_path}/pwd\n"
    script.write_text(script.read_text().replace("#!/bin/sh\n", recording))
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)

    contracts.load(stacks=["aws"], environ={})

    assert (tmp_path / "pwd").read_text().strip() == str(contracts.PROJECT_DIR)
    assert (contracts.PROJECT_DIR / "Pulumi.yaml").is_file()
