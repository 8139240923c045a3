"""Docker Hub as one more push target: its login contract, made from the environment.

No stack creates anything on Docker Hub, so its contract is not a stack output: the lab's
contract loading calls ``dockerhub_contract(os.environ)`` and adds the result, when it is not
None, next to the stacks' contracts. It has the same keys as every other contract
(registry_lab.contract.CONTRACT_KEYS):

  DOCKERHUB_NAMESPACE  the user or organisation the demo image goes under (required)
  DOCKERHUB_TOKEN      a Docker Hub access token that may push there (required, secret)
  DOCKERHUB_USERNAME   the account that owns the token (default: the namespace)

Setting neither of the two required variables leaves Docker Hub out; setting only one of them
is an error naming the other.

Hosts: ``docker.io`` is the login server and the name in image references; the registry API
answers at ``registry-1.docker.io`` with tokens from ``auth.docker.io``. Both are in the
contract's details, for clients that speak the registry API themselves.

Pull-only: Docker Hub has no pull-only identity that the lab creates (a read-only access token
is made by a person in Docker Hub's settings), so ``pullOnlyIdentity`` is {"method": "none"}
with no credentials. The read-only check skips a contract whose pull-only method is "none" and
says why with ``details["pullOnlySkipReason"]``; it never counts the skip as a pass.
"""

import re
from typing import Mapping, Optional

from registry_lab.contract import DEMO_TAG
from registry_lab.lab.login import NO_IDENTITY

NAMESPACE_VARIABLE = "DOCKERHUB_NAMESPACE"
TOKEN_VARIABLE = "DOCKERHUB_TOKEN"
USERNAME_VARIABLE = "DOCKERHUB_USERNAME"

LOGIN_SERVER = "docker.io"
API_HOST = "registry-1.docker.io"
AUTH_HOST = "auth.docker.io"
REPOSITORY_NAME = "registry-lab-demo"

# One path component of an image reference: what Docker Hub accepts as a namespace or name.
NAME_PATTERN = re.compile(r"[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*")
NAME_RULE = "must be lowercase letters and digits, optionally separated by '.', '_' or '-'"

PULL_ONLY_SKIP_REASON = (
    "Docker Hub has no pull-only identity that the lab creates; its read-only check is skipped"
)


class DockerHubSettingsError(ValueError):
    """A DOCKERHUB_* variable is missing or breaks a rule; the message names it."""


def dockerhub_contract(environ: Mapping[str, str]) -> Optional[dict]:
    """Docker Hub's login contract from ``environ``; None when Docker Hub is not asked for."""
    namespace = environ.get(NAMESPACE_VARIABLE) or None
    token = environ.get(TOKEN_VARIABLE) or None
    if namespace is None and token is None:
        return None
    if token is None:
        raise missing(TOKEN_VARIABLE, NAMESPACE_VARIABLE)
    if namespace is None:
        raise missing(NAMESPACE_VARIABLE, TOKEN_VARIABLE)

    username = environ.get(USERNAME_VARIABLE) or namespace
    check_name(NAMESPACE_VARIABLE, namespace)
    check_name(USERNAME_VARIABLE, username)
    if token != token.strip() or not token.isprintable():
        # The value is a secret: name the variable and the rule, never the value.
        raise DockerHubSettingsError(
            f"{TOKEN_VARIABLE} holds whitespace or control characters (a pasted newline?): "
            "it must be the access token alone"
        )

    repository_url = f"{LOGIN_SERVER}/{namespace}/{REPOSITORY_NAME}"
    return {
        "cloud": "dockerhub",
        "registryHost": LOGIN_SERVER,
        "repositoryUrl": repository_url,
        "imageRef": f"{repository_url}:{DEMO_TAG}",
        "loginCommand": f"docker login {LOGIN_SERVER} --username {username} --password-stdin",
        "details": {
            "namespace": namespace,
            "apiHost": API_HOST,
            "authHost": AUTH_HOST,
            "pullOnlySkipReason": PULL_ONLY_SKIP_REASON,
        },
        "pushIdentity": {"method": "basic", "username": username},
        "pullOnlyIdentity": {"method": NO_IDENTITY},
        "pushCredentials": {"username": username, "password": token},
        "pullOnlyCredentials": None,
    }


def missing(absent: str, present: str) -> DockerHubSettingsError:
    return DockerHubSettingsError(
        f"{absent} is not set but {present} is: set both to push to Docker Hub, or neither "
        "to leave it out"
    )


def check_name(variable: str, value: str) -> None:
    if not NAME_PATTERN.fullmatch(value):
        raise DockerHubSettingsError(f"{variable}={value!r}: {NAME_RULE}")
