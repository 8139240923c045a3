"""The DigitalOcean stack's settings, validated before any resource is registered.

Facts behind the rules (DigitalOcean's Container Registry documentation and API reference):
- a registry name is globally unique, at most 63 characters of lowercase letters, digits and
  hyphens, begins with a letter and ends with a letter or digit;
- the subscription tiers are starter, basic and professional;
- the regions a registry can be created in are those the API's create call accepts.
"""

from dataclasses import dataclass
from typing import Optional

import pulumi

from registry_lab.config.reader import ConfigReader, full_match
from registry_lab.errors import ConfigError, quoted

REGISTRY_NAME_KEY = "registryName"
EXISTING_REGISTRY_KEY = "existingRegistry"
TIER_KEY = "registryTier"
REGION_KEY = "registryRegion"
PUSH_EXPIRY_KEY = "pushCredentialsExpirySeconds"
PULL_ONLY_EXPIRY_KEY = "pullOnlyCredentialsExpirySeconds"

# Every registry-lab key read_settings reads (tests/unit/test_cloud_keys.py checks it).
KEYS = frozenset({
    REGISTRY_NAME_KEY, EXISTING_REGISTRY_KEY, TIER_KEY, REGION_KEY, PUSH_EXPIRY_KEY,
    PULL_ONLY_EXPIRY_KEY,
})

# Keys whose values the stack exports in plain, so they must not be secrets (see
# registry_lab/config/plain_keys.py).
PLAIN_KEYS = {
    f"registry-lab:{REGISTRY_NAME_KEY}": "part of the registry's address",
    f"registry-lab:{EXISTING_REGISTRY_KEY}": "part of the registry's address",
    f"registry-lab:{REGION_KEY}": "one of the registry's details",
    f"registry-lab:{TIER_KEY}": "one of the registry's details",
    f"registry-lab:{PUSH_EXPIRY_KEY}": "one of the registry's details",
    f"registry-lab:{PULL_ONLY_EXPIRY_KEY}": "one of the registry's details",
}

REGISTRY_NAME_MAX = 63
REGISTRY_NAME_RULE = (
    "a DigitalOcean registry name is 1-63 lowercase letters, digits and hyphens, "
    "starting with a letter and ending with a letter or digit"
)

# Starter is free and holds one repository, which is all the lab pushes to.
TIERS = ("starter", "basic", "professional")
DEFAULT_TIER = "starter"

# The region slugs of POST /v2/registries in DigitalOcean's API reference. The older
# /v2/registry call listed only the first five; a region outside this list is refused by the
# API only after the plan has started, so it is refused here first.
REGIONS = ("nyc3", "sfo3", "sfo2", "ams3", "sgp1", "fra1", "blr1", "syd1")
DEFAULT_REGION = "nyc3"

# Left unset, the API issues Docker credentials that last about 50 years (1576800000 s), and
# nothing confirms that destroying the stack revokes them (registry_lab/digitalocean_facts.py
# has the provider's behaviour and its source). A lab needs them for a day; 30 days is the
# most this project allows, so that a copy of the stack's state or outputs stops being a key
# to the registry within a month. `pulumi up --refresh` issues new ones once they have expired.
DAY_SECONDS = 24 * 60 * 60
DEFAULT_EXPIRY_SECONDS = DAY_SECONDS
MAX_EXPIRY_SECONDS = 30 * DAY_SECONDS


@dataclass(frozen=True)
class DigitalOceanSettings:
    # The registry to create, or with adopt_existing the account's registry to use as it is.
    registry_name: str
    adopt_existing: bool
    tier: str
    region: str
    push_expiry_seconds: int
    pull_only_expiry_seconds: int


def read_settings(reader: ConfigReader) -> DigitalOceanSettings:
    registry_name, adopt_existing = _registry_name(reader)
    return DigitalOceanSettings(
        registry_name=registry_name,
        adopt_existing=adopt_existing,
        tier=reader.choice(TIER_KEY, TIERS, DEFAULT_TIER),
        region=reader.choice(REGION_KEY, REGIONS, DEFAULT_REGION),
        push_expiry_seconds=_expiry(reader, PUSH_EXPIRY_KEY),
        pull_only_expiry_seconds=_expiry(reader, PULL_ONLY_EXPIRY_KEY),
    )


def registry_name_problem(name: str) -> Optional[str]:
    """Which rule ``name`` breaks as a DigitalOcean registry name, or None when it is valid."""
    if len(name) > REGISTRY_NAME_MAX:
        return f"is {len(name)} characters long, over the limit of {REGISTRY_NAME_MAX}"
    if name != name.lower():
        return "has uppercase letters"
    if "_" in name:
        return "has underscores"
    if not full_match(r"[a-z0-9-]+", name):
        return "has characters other than lowercase letters, digits and hyphens"
    if not full_match(r"[a-z]", name[0]):
        return "does not start with a letter"
    if name.endswith("-"):
        return "ends with a hyphen"
    return None


def _registry_name(reader: ConfigReader):
    """The registry's name, and whether the stack adopts it instead of creating it."""
    existing = reader.text(EXISTING_REGISTRY_KEY)
    wanted = reader.text(REGISTRY_NAME_KEY)

    if existing is not None:
        _check_registry_name(EXISTING_REGISTRY_KEY, existing)
        if wanted is not None and wanted != existing:
            existing_key = f"registry-lab:{EXISTING_REGISTRY_KEY}"
            raise ConfigError(
                f"registry-lab:{REGISTRY_NAME_KEY}", wanted,
                f"names a registry to create while {existing_key} adopts "
                f"{quoted(existing_key, existing)}; an account holds one registry, so set only "
                "one of them",
                f"pulumi config rm registry-lab:{REGISTRY_NAME_KEY} --stack {pulumi.get_stack()}",
            )
        return existing, True

    if wanted is None:
        raise ConfigError(
            f"registry-lab:{REGISTRY_NAME_KEY}", None,
            f"name the registry to create, or set "
            f"registry-lab:{EXISTING_REGISTRY_KEY} to use the account's registry",
        )
    _check_registry_name(REGISTRY_NAME_KEY, wanted)
    return wanted, False


def _check_registry_name(key: str, name: str) -> None:
    problem = registry_name_problem(name)
    if problem is not None:
        raise ConfigError(f"registry-lab:{key}", name, f"{problem}; {REGISTRY_NAME_RULE}")


def _expiry(reader: ConfigReader, key: str) -> int:
    return reader.integer(key, DEFAULT_EXPIRY_SECONDS, minimum=1, maximum=MAX_EXPIRY_SECONDS)
