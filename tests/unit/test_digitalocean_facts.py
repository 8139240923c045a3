"""The DOCR facts the lab shares with the stack load without pulumi_digitalocean."""

import json
import subprocess
import sys
from pathlib import Path

from registry_lab.digitalocean import registry as stack_registry
from registry_lab.digitalocean_facts import LOGIN_USERNAME, REGISTRY_HOST
from registry_lab.lab.adapters import digitalocean as adapter

ROOT = Path(__file__).resolve().parents[2]

LOADED = """
import json, sys
import registry_lab.digitalocean_facts
import registry_lab.lab.adapters.digitalocean
import registry_lab.lab.digitalocean_refusals
print(json.dumps(sorted(name for name in sys.modules
                        if name.startswith(("pulumi", "registry_lab.digitalocean")))))
"""


def test_the_lab_side_of_digitalocean_loads_no_pulumi_and_not_the_stack_package():
    loaded = subprocess.run(
        [sys.executable, "-c", LOADED], cwd=ROOT, capture_output=True, text=True, check=True
    )

    assert json.loads(loaded.stdout) == ["registry_lab.digitalocean_facts"]


def test_stack_and_lab_use_the_one_host_and_user_name():
    assert stack_registry.REGISTRY_HOST is REGISTRY_HOST == "registry.digitalocean.com"
    assert stack_registry.LOGIN_USERNAME is LOGIN_USERNAME == "registry-lab"
    assert adapter.REGISTRY_HOST is REGISTRY_HOST
