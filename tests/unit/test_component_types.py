"""Every cloud's component has a type token from the one project prefix."""

import pytest

from registry_lab.components import TYPE_PREFIX
from tests.unit.stack_runs import run_stack


@pytest.mark.parametrize("cloud", ["aws", "gcp", "digitalocean"])
def test_each_clouds_component_is_typed_prefix_cloud_registry(cloud):
    component = run_stack(cloud).component()

    assert component.type == f"{TYPE_PREFIX}:{cloud}:Registry" == f"registry-lab:{cloud}:Registry"
