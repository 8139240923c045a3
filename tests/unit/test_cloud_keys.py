"""Each cloud's declared KEYS are exactly the registry-lab keys its read_settings reads.

KEYS is written out by hand, so this checks it against reads recorded on stacks that take every
branch: with and without KMS, a pull-only user, service-account keys, an adopted registry.
"""

import pytest

from registry_lab.aws import settings as aws_settings
from registry_lab.config.reader import PROJECT, ConfigReader
from registry_lab.digitalocean import settings as digitalocean_settings
from registry_lab.gcp import settings as gcp_settings

KMS_KEY = "arn:aws:kms:eu-west-1:123456789012:key/0123abcd-0123-4567-89ab-0123456789ab"

STACKS = {
    aws_settings: [
        {"aws:region": "eu-west-1"},
        {"aws:region": "eu-west-1", "encryption": "KMS", "kmsKeyArn": KMS_KEY},
        {
            "aws:region": "eu-west-1", "pullOnlyUser": "true",
            "pullOnlyPrincipals": '["arn:aws:iam::123456789012:root"]',
            "taggedImagePrefixes": '["release-"]',
        },
    ],
    gcp_settings: [
        {"gcp:project": "registry-lab-demo", "operator": "user:ops@example.com"},
        {"gcp:project": "registry-lab-demo", "createServiceAccountKeys": "true"},
    ],
    digitalocean_settings: [
        {"registryName": "registry-lab"},
        {"existingRegistry": "registry-lab"},
        {"existingRegistry": "registry-lab", "registryName": "registry-lab"},
    ],
}
CASES = [(module, stack) for module, stacks in STACKS.items() for stack in stacks]


def project_keys_read(module, stack: dict) -> set:
    """The bare registry-lab keys ``module.read_settings`` asks for on ``stack``."""
    full = {key if ":" in key else f"{PROJECT}:{key}": value for key, value in stack.items()}
    reader = ConfigReader(full.get)
    module.read_settings(reader)
    prefix = f"{PROJECT}:"
    return {key[len(prefix):] for key in reader.keys_read if key.startswith(prefix)}


@pytest.mark.parametrize("module, stack", CASES, ids=lambda case: getattr(case, "__name__", ""))
def test_every_key_read_on_a_stack_is_declared_in_keys(module, stack):
    assert project_keys_read(module, stack) <= module.KEYS, module.__name__


@pytest.mark.parametrize("module", list(STACKS), ids=lambda module: module.__name__)
def test_keys_names_only_keys_that_some_stack_reads(module):
    read = set().union(*(project_keys_read(module, stack) for stack in STACKS[module]))

    assert read == module.KEYS, module.__name__


def test_a_key_missing_from_keys_would_be_caught():
    # The control: the same comparison fails for a KEYS one key short.
    read = project_keys_read(aws_settings, STACKS[aws_settings][1])

    assert not read <= aws_settings.KEYS - {"kmsKeyArn"}
