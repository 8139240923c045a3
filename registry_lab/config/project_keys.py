"""Which ``registry-lab`` keys a stack may set: those Pulumi.yaml declares, for its own cloud.

Without this a misspelt key (``repositoryname``, ``untagedImageDays``) is never read and the
stack quietly gets the default. The Pulumi CLI passes every declared key's default to every
stack, whatever its cloud, so a key of another cloud is refused only when it holds something
other than its declared default: that is a value the stack meant, and no one would read it.
"""

import difflib
import json
from functools import lru_cache
from pathlib import Path
from typing import Optional

import pulumi
import yaml

from registry_lab.clouds import CLOUD_KEY, cloud_reading
from registry_lab.config.engine import StackConfig
from registry_lab.config.reader import FALSE_WORDS, PROJECT, TRUE_WORDS
from registry_lab.errors import ConfigError, is_secret

PROJECT_FILE = Path(__file__).resolve().parents[2] / "Pulumi.yaml"

# How alike (difflib's ratio) a namespace must be to registry-lab to count as a misspelling
# of it: registy-lab and registry-lb are, a bare registry is not.
NEAR_MISS_RATIO = 0.85


@lru_cache(maxsize=None)
def declared_keys() -> dict:
    """The project's own keys as Pulumi.yaml declares them: bare name -> declaration."""
    document = yaml.safe_load(PROJECT_FILE.read_text())
    return {name: entry for name, entry in document["config"].items() if ":" not in name}


def refuse_undeclared_keys(config: StackConfig) -> None:
    """A ``registry-lab:`` key that Pulumi.yaml does not declare, named with the nearest one.

    A key in a misspelt namespace (``registry_lab:``, ``Registry-Lab:``) is refused too: the
    program reads only ``registry-lab:``, so it would be ignored just as silently.
    """
    declared = declared_keys()
    for key in config.values:
        namespace, _, name = key.partition(":")
        if misspells_project(namespace):
            meant = f"{PROJECT}:{name if name in declared else closest_key(name) or name}"
            rule = f"is in namespace {namespace}, which no one reads; did you mean {meant}?"
            raise ConfigError(key, config.values[key], rule, _move_command(key, meant))

        if namespace != PROJECT or name in declared:
            continue
        rule = "is not a setting of this project (Pulumi.yaml declares every one)"
        nearest = closest_key(name)
        if nearest is None:
            fix = f"pulumi config rm {key} --stack {pulumi.get_stack()}"
        else:
            rule += f"; did you mean {PROJECT}:{nearest}?"
            fix = _move_command(key, f"{PROJECT}:{nearest}")
        raise ConfigError(key, config.values[key], rule, fix)


def misspells_project(namespace: str) -> bool:
    """Whether ``namespace`` is a near miss of ``registry-lab``, such as ``registrylab``.

    Case and ``_`` for ``-`` are ignored, and a close spelling counts; the providers'
    namespaces (aws, gcp, digitalocean, pulumi) are nowhere near it.
    """
    if namespace == PROJECT:
        return False
    folded = namespace.lower().replace("_", "-")
    if folded.replace("-", "") == PROJECT.replace("-", ""):
        return True
    return difflib.SequenceMatcher(None, folded, PROJECT).ratio() >= NEAR_MISS_RATIO


def _move_command(key: str, meant: str) -> str:
    """Remove ``key`` and set ``meant`` instead, as a secret again when ``key`` was one."""
    stack = pulumi.get_stack()
    secret = " --secret" if is_secret(key) else ""
    return (
        f"pulumi config rm {key} --stack {stack}, "
        f"then pulumi config set {meant} <value>{secret} --stack {stack}"
    )


def refuse_other_clouds_keys(config: StackConfig, cloud: str, own_keys: frozenset) -> None:
    """A key the stack's cloud does not read, set to something other than its default."""
    declared = declared_keys()
    for key in config.values:
        name = _project_name(key)
        if name is None or name == CLOUD_KEY or name in own_keys or name not in declared:
            continue
        if _means_default(config.values[key], declared[name].get("default")):
            continue

        owner = cloud_reading(name)
        applies = f"applies to cloud {owner}" if owner else "is read by no cloud"
        raise ConfigError(
            key, config.values[key], f"{applies}; this stack's cloud is {cloud}",
            f"pulumi config rm {key} --stack {pulumi.get_stack()}",
        )


def closest_key(name: str) -> Optional[str]:
    """The declared key most like ``name``, ignoring case, or None when none is close."""
    by_lowercase = {declared.lower(): declared for declared in declared_keys()}
    found = difflib.get_close_matches(name.lower(), by_lowercase, n=1)
    return by_lowercase[found[0]] if found else None


def _project_name(key: str) -> Optional[str]:
    namespace, _, name = key.partition(":")
    return name if namespace == PROJECT else None


def _means_default(value: Optional[str], default: object) -> bool:
    """Whether the raw ``value`` says the same as the declared ``default`` (blank is unset)."""
    if value is None or not value.strip():
        return True
    value = value.strip()
    if isinstance(default, str):
        return value == default
    if isinstance(default, bool):
        return value.lower() in (TRUE_WORDS if default else FALSE_WORDS)
    try:
        parsed = json.loads(value)
    except json.JSONDecodeError:
        return False
    # A type check first: JSON's true equals 1 in Python, and 1 is not true here.
    return type(parsed) is type(default) and parsed == default
