"""Pulumi.yaml declares every AWS setting the program reads, with the program's defaults."""

import json
from pathlib import Path

import pytest
import yaml

from registry_lab.aws.settings import (
    DEFAULTS, ENCRYPTION_CHOICES, KEYS, TAG_MUTABILITY_CHOICES, read_settings,
)
from registry_lab.config.reader import ConfigReader

ROOT = Path(__file__).resolve().parents[2]
DECLARED = yaml.safe_load((ROOT / "Pulumi.yaml").read_text())["config"]
# Keys that have no default: the stack sets them only in some cases.
NO_DEFAULT = sorted(KEYS - set(DEFAULTS))
PYTHON_TYPES = {"string": str, "boolean": bool, "integer": int, "array": list}


def keys_read_by_the_aws_settings() -> set:
    asked = set()

    def lookup(key):
        asked.add(key)
        return "eu-west-1" if key == "aws:region" else None

    read_settings(ConfigReader(lookup))
    return asked


def as_cli_passes_it(value) -> str:
    """How the Pulumi CLI hands a declared default to the program: text, JSON for the rest."""
    return value if isinstance(value, str) else json.dumps(value)


@pytest.mark.parametrize("key", sorted(DEFAULTS))
def test_declared_default_equals_the_programs_default(key):
    declared = DECLARED[key]

    assert declared["default"] == DEFAULTS[key], key
    assert isinstance(DEFAULTS[key], PYTHON_TYPES[declared["type"]]), key


def test_optional_keys_are_declared_with_an_empty_default():
    # Pulumi makes a declared key without a default required on every stack, aws or not.
    assert NO_DEFAULT == ["kmsKeyArn"]
    for key in NO_DEFAULT:
        assert DECLARED[key]["type"] == "string"
        assert DECLARED[key]["default"] == "", key


def test_only_the_cloud_key_is_required_of_every_stack():
    required = [key for key, declared in DECLARED.items() if "default" not in declared]

    assert required == ["cloud"]


def test_every_project_key_the_aws_settings_read_is_declared():
    project_keys = {
        key.split(":", 1)[1] for key in keys_read_by_the_aws_settings()
        if key.startswith("registry-lab:")
    }

    assert project_keys == set(DEFAULTS) | set(NO_DEFAULT)
    assert project_keys <= set(DECLARED)


def test_provider_keys_are_not_typed_in_the_project_file():
    # Pulumi refuses a project file that gives another namespace's key a type or default.
    for key, declared in DECLARED.items():
        if ":" in key:
            assert "type" not in declared and "default" not in declared, key


@pytest.mark.parametrize("key", sorted(set(DEFAULTS) | set(NO_DEFAULT)))
def test_every_description_names_the_cloud_and_the_default(key):
    description = DECLARED[key]["description"]

    assert description.startswith("aws: "), key
    assert "Default: " in description, key


def test_choice_descriptions_list_every_allowed_value():
    for key, choices in (
        ("imageTagMutability", TAG_MUTABILITY_CHOICES), ("encryption", ENCRYPTION_CHOICES),
    ):
        for choice in choices:
            assert choice in DECLARED[key]["description"], (key, choice)


def test_declared_defaults_read_the_same_as_unset_keys():
    defaults = {
        f"registry-lab:{key}": as_cli_passes_it(DECLARED[key]["default"]) for key in DEFAULTS
    }
    defaults["aws:region"] = "eu-west-1"

    from_declared = read_settings(ConfigReader(defaults.get))
    from_code = read_settings(ConfigReader({"aws:region": "eu-west-1"}.get))
    assert from_declared == from_code
