"""Run any of the three stacks under mocks, and check that refused input registers nothing.

``with_declared_defaults`` adds what the Pulumi CLI adds before the program starts: the default
of every key Pulumi.yaml declares, for every stack whatever its cloud, as the text it passes.
"""

import json
from pathlib import Path

import pytest
import yaml

from registry_lab.errors import ConfigError
from tests.pulumi_harness import run_program, stack_config
from tests.unit import aws_mocks, digitalocean_stack_support, gcp_state

ROOT = Path(__file__).resolve().parents[2]
DECLARED = yaml.safe_load((ROOT / "Pulumi.yaml").read_text())["config"]

TABLES = {
    "aws": (aws_mocks.INVOKES, aws_mocks.COMPUTED),
    "gcp": ({}, gcp_state.COMPUTED),
    "digitalocean": (digitalocean_stack_support.INVOKES, digitalocean_stack_support.COMPUTED),
}


class RegistrationWatch(dict):
    """A computed-state table that notes every resource type the mocks are asked to register."""

    def __init__(self, computed):
        super().__init__(computed)
        self.registered = []

    def get(self, type_, default=None):
        self.registered.append(type_)
        return super().get(type_, default)


def as_cli_passes_it(value) -> str:
    return value if isinstance(value, str) else json.dumps(value)


def declared_defaults() -> dict:
    return {
        f"registry-lab:{name}": as_cli_passes_it(entry["default"])
        for name, entry in DECLARED.items() if "default" in entry
    }


def run_stack(
    stack, overrides=None, removals=(), with_declared_defaults=False, watch=None, secret_keys=(),
):
    invokes, computed = TABLES[stack]
    config = dict(overrides or {})
    if with_declared_defaults:
        from_file = stack_config(ROOT / "stacks" / f"Pulumi.{stack}.yaml")
        defaults = {
            key: value for key, value in declared_defaults().items()
            if key not in from_file and key not in removals
        }
        config = {**defaults, **config}
    return run_program(
        stack, invokes=invokes, computed=watch if watch is not None else computed,
        overrides=config, removals=removals, secret_keys=secret_keys,
    )


def refused(
    stack, overrides=None, removals=(), with_declared_defaults=False, secret_keys=(),
) -> str:
    """The one-line ConfigError the stack fails with, after checking nothing was registered."""
    watch = RegistrationWatch(TABLES[stack][1])
    with pytest.raises(ConfigError) as error:
        run_stack(stack, overrides, removals, with_declared_defaults, watch, secret_keys)
    assert watch.registered == [], f"registered before the error: {watch.registered}"
    message = str(error.value)
    assert "\n" not in message
    return message

