"""Realistic DigitalOcean answers for running the digitalocean stack under the mock harness.

Credentials look like the API's: a docker config whose auth is base64 of "token:token", a
different token for read-write and read-only, and an expiry the provider computes as issue
time plus expirySeconds (RFC 3339, as the provider stores it).
"""

import base64
import json
from datetime import datetime, timedelta, timezone

from tests.pulumi_harness import run_program

HOST = "registry.digitalocean.com"
REGISTRY = "digitalocean:index/containerRegistry:ContainerRegistry"
CREDENTIALS = (
    "digitalocean:index/containerRegistryDockerCredentials:ContainerRegistryDockerCredentials"
)
GET_REGISTRY = "digitalocean:index/getContainerRegistry:getContainerRegistry"
COMPONENT = "registry-lab:digitalocean:Registry"

ISSUED_AT = datetime(2026, 12, 4, 15, 0, 0, tzinfo=timezone.utc)
PUSH_TOKEN = "dop_v1_" + "a1" * 32
PULL_ONLY_TOKEN = "dop_v1_" + "b2" * 32

# The account's registry when a test adopts one: deliberately not the stack file's values.
ADOPTED_NAME = "team-registry"
ADOPTED_TIER = "basic"
ADOPTED_REGION = "fra1"


def docker_config(token: str, host: str = HOST) -> str:
    auth = base64.b64encode(f"{token}:{token}".encode()).decode()
    return json.dumps({"auths": {host: {"auth": auth}}})


def issued_credentials(name, inputs):
    token = PUSH_TOKEN if inputs.get("write") else PULL_ONLY_TOKEN
    expires = ISSUED_AT + timedelta(seconds=int(inputs["expirySeconds"]))
    return {
        "id": inputs["registryName"],
        "dockerCredentials": docker_config(token),
        "credentialExpirationTime": expires.strftime("%Y-%m-%dT%H:%M:%SZ"),
    }


def created_registry(name, inputs):
    return {
        "id": inputs["name"],
        "endpoint": f"{HOST}/{inputs['name']}",
        "serverUrl": HOST,
        "storageUsageBytes": 0,
        "createdAt": ISSUED_AT.strftime("%Y-%m-%dT%H:%M:%SZ"),
    }


def existing_registry(args):
    if args.get("name") != ADOPTED_NAME:
        raise ValueError(f"GET /v2/registries/{args.get('name')}: 404 not found")
    return {
        "id": ADOPTED_NAME,
        "name": ADOPTED_NAME,
        "subscriptionTierSlug": ADOPTED_TIER,
        "region": ADOPTED_REGION,
        "serverUrl": HOST,
        "endpoint": f"{HOST}/{ADOPTED_NAME}",
        "storageUsageBytes": 73400320,
        "createdAt": "2025-03-02T10:11:12Z",
    }


COMPUTED = {REGISTRY: created_registry, CREDENTIALS: issued_credentials}
INVOKES = {GET_REGISTRY: existing_registry}


def run_digitalocean(overrides=None, removals=(), computed=None):
    return run_program(
        "digitalocean", invokes=INVOKES, computed=computed or COMPUTED,
        overrides=overrides, removals=removals,
    )


def run_adopting(overrides=None):
    adopting = {"registry-lab:existingRegistry": ADOPTED_NAME, **(overrides or {})}
    return run_digitalocean(overrides=adopting, removals=("registry-lab:registryName",))


class RegistrationSpy(dict):
    """A computed-state table that notes every resource type the mocks were asked to register."""

    def __init__(self):
        super().__init__(COMPUTED)
        self.registered = []

    def get(self, key, default=None):
        self.registered.append(key)
        return super().get(key, default)
