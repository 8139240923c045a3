"""The mock harness itself: it must run the real program and see parents and secrets."""

import pytest

from registry_lab.errors import ConfigError
from tests.pulumi_harness import run_program
from tests.unit.aws_mocks import COMPUTED, INVOKES


def test_children_are_recorded_with_their_parent_component():
    run = run_program("aws", invokes=INVOKES, computed=COMPUTED)

    repository = run.one("aws:ecr/repository:Repository")
    assert repository.parent == run.component().urn


def test_overrides_replace_stack_file_values_and_runs_do_not_leak():
    first = run_program("aws", invokes=INVOKES, computed=COMPUTED,
                        overrides={"registry-lab:repositoryName": "team/other"})
    second = run_program("aws", invokes=INVOKES, computed=COMPUTED)

    assert first.one("aws:ecr/repository:Repository").inputs["name"] == "team/other"
    assert second.one("aws:ecr/repository:Repository").inputs["name"] == "registry-lab/demo"
    assert len(second.resources) == len(first.resources)


def test_unknown_cloud_names_the_key_and_the_built_clouds():
    with pytest.raises(ConfigError) as error:
        run_program("aws", invokes={}, overrides={"registry-lab:cloud": "azure"})

    assert str(error.value).startswith("registry-lab:cloud='azure': must be one of aws")
