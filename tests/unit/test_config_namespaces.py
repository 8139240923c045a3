"""A key in a near miss of the registry-lab namespace is refused, not silently ignored.

The program reads only ``registry-lab:`` keys, so ``registry_lab:repositoryName`` would leave
the stack on the default repository name without a word.
"""

import pytest

from registry_lab.config.project_keys import misspells_project
from tests.unit.stack_runs import refused, run_stack


def test_an_underscore_for_the_hyphen_is_refused_with_the_key_meant():
    message = refused("aws", {"registry_lab:repositoryName": "team/app"})

    assert message == (
        "registry_lab:repositoryName='team/app': is in namespace registry_lab, which no one "
        "reads; did you mean registry-lab:repositoryName? (fix with: pulumi config rm "
        "registry_lab:repositoryName --stack aws, then pulumi config set "
        "registry-lab:repositoryName <value> --stack aws)"
    )


def test_a_namespace_without_its_hyphen_is_refused():
    message = refused("aws", {"registrylab:untaggedImageDays": "7"})

    assert message.startswith(
        "registrylab:untaggedImageDays='7': is in namespace registrylab, which no one reads; "
        "did you mean registry-lab:untaggedImageDays?"
    )


def test_a_namespace_in_other_case_is_refused():
    message = refused("gcp", {"Registry-Lab:cloud": "gcp"})

    assert "did you mean registry-lab:cloud?" in message
    assert message.startswith("Registry-Lab:cloud='gcp': is in namespace Registry-Lab")


def test_a_misspelt_namespace_and_key_suggest_the_nearest_declared_key():
    message = refused("aws", {"registy-lab:repositoryname": "team/app"})

    assert "did you mean registry-lab:repositoryName?" in message


def test_a_secret_in_a_misspelt_namespace_is_moved_as_a_secret():
    message = refused(
        "aws", {"registry_lab:kmsKeyArn": "hidden-key"}, secret_keys=("registry_lab:kmsKeyArn",)
    )

    assert message.startswith("registry_lab:kmsKeyArn=[secret]: is in namespace registry_lab")
    assert message.endswith(
        "then pulumi config set registry-lab:kmsKeyArn <value> --secret --stack aws)"
    )
    assert "hidden-key" not in message


@pytest.mark.parametrize("namespace", ["registry_lab", "registrylab", "Registry-Lab",
                                       "REGISTRY_LAB", "registy-lab", "registry-labs"])
def test_near_misses_of_the_project_namespace_are_recognised(namespace):
    assert misspells_project(namespace)


@pytest.mark.parametrize("namespace", ["registry-lab", "aws", "gcp", "digitalocean", "pulumi",
                                       "registry", "kubernetes", "docker"])
def test_other_namespaces_are_not_taken_for_the_project(namespace):
    assert not misspells_project(namespace)


def test_provider_namespaces_still_pass_untouched():
    run = run_stack("aws", {"aws:profile": "lab", "pulumi:disable-default-providers": "[]"})

    assert run.outputs["registryHost"]
