"""Docker config credentials, as DigitalOcean issues them: no doctl, no API token needed.

The contract's credentials hold ``dockerConfigJson``, the config file Docker would write after a
login: ``{"auths": {HOST: {"auth": base64("user:password")}}}``. The login is the entry for the
contract's exact registry host. Error messages name the host and what is wrong with the config,
never any part of the secret itself.
"""

import base64
import binascii
import json
from typing import Any, Mapping, Optional

from registry_lab.digitalocean_facts import LOGIN_USERNAME, REGISTRY_HOST
from registry_lab.lab.login import LoginError, RegistryLogin


def login(host: str, identity: Mapping[str, Any], credentials: Optional[Mapping[str, Any]]):
    config = _docker_config(host, credentials)
    entry = _entry_for(host, config)
    username, password = _user_and_password(host, entry)

    # DOCR checks the password only; its user part is the token again (digitalocean_facts).
    if host == REGISTRY_HOST:
        username = LOGIN_USERNAME
    return RegistryLogin(host, username, password)


def _docker_config(host: str, credentials: Optional[Mapping[str, Any]]) -> Mapping[str, Any]:
    text = (credentials or {}).get("dockerConfigJson")
    if not text:
        raise LoginError(f"{host}: docker-config login needs credentials with a dockerConfigJson")

    # The stack exports the provider's string; a contract file may hold it already parsed.
    if isinstance(text, Mapping):
        return text
    try:
        config = json.loads(text)
    except json.JSONDecodeError as error:
        # The decoder's message names a position only, never the text around it.
        raise LoginError(
            f"{host}: the dockerConfigJson credentials are not valid JSON "
            f"({error.msg} at line {error.lineno} column {error.colno})"
        ) from None
    if not isinstance(config, Mapping):
        raise LoginError(f"{host}: the dockerConfigJson credentials are not a JSON object")
    return config


def _entry_for(host: str, config: Mapping[str, Any]) -> Mapping[str, Any]:
    auths = config.get("auths")
    if not isinstance(auths, Mapping):
        raise LoginError(f"{host}: the docker config has no \"auths\" object")

    # Docker writes some hosts with their scheme; both spellings name the same registry.
    for key in (host, f"https://{host}"):
        entry = auths.get(key)
        if isinstance(entry, Mapping):
            return entry

    others = ", ".join(sorted(str(key) for key in auths)) or "none"
    raise LoginError(f"{host}: the docker config has no auth for {host} (it has: {others})")


def _user_and_password(host: str, entry: Mapping[str, Any]):
    if entry.get("username") and entry.get("password"):
        return str(entry["username"]), str(entry["password"])

    encoded = entry.get("auth")
    if not isinstance(encoded, str) or not encoded:
        raise LoginError(f"{host}: the docker config entry for {host} has no auth")
    try:
        decoded = base64.b64decode(encoded, validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        raise LoginError(f"{host}: the auth for {host} is not base64 of user:password") from None

    username, separator, password = decoded.partition(":")
    if not separator or not username or not password:
        raise LoginError(f"{host}: the auth for {host} does not decode to user:password")
    return username, password
