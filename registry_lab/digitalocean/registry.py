"""The DigitalOcean registry component: a container registry and two sets of Docker credentials.

DigitalOcean has no separate identities for a registry: Docker credentials are issued for the
account's registry, read-only unless write access is asked for. So the pull-only identity is a
read-only credential and the push identity a read-write one, both with a bounded expiry.
"""

from typing import Optional

import pulumi
import pulumi_digitalocean as digitalocean

from registry_lab.components import registry_type
from registry_lab.contract import DEMO_IMAGE, DEMO_TAG
from registry_lab.digitalocean.settings import DigitalOceanSettings
from registry_lab.digitalocean_facts import LOGIN_USERNAME, REGISTRY_HOST
from registry_lab.exports import LoginContract

TYPE_TOKEN = registry_type("digitalocean")

LOGIN_METHOD = "docker-config"

# Docker's config stores "user:password" in base64 under auths[host].auth. The line sends the
# fixed LOGIN_USERNAME and the password on stdin: no part of the token reaches argv or the
# command itself.
LOGIN_COMMAND = (
    "pulumi stack output pushCredentials --stack {stack} --show-secrets --json"
    " | jq -r '.dockerConfigJson | fromjson | .auths[\"{host}\"].auth | @base64d"
    " | sub(\"^[^:]*:\"; \"\")'"
    " | docker login {host} --username {username} --password-stdin"
)


class DigitalOceanRegistry(pulumi.ComponentResource):
    """A DOCR registry, created or adopted, with push and pull-only Docker credentials.

    Args:
        name: the component's name; every child's name starts with it.
        settings: validated DigitalOcean settings
            (``registry_lab.digitalocean.settings.read_settings``).
        opts: options for the component itself.
    """

    def __init__(
        self,
        name: str,
        settings: DigitalOceanSettings,
        opts: Optional[pulumi.ResourceOptions] = None,
    ):
        super().__init__(TYPE_TOKEN, name, None, opts)
        child = pulumi.ResourceOptions(parent=self)

        if settings.adopt_existing:
            # Look the registry up instead of declaring it: the stack never owns it, so
            # destroying the stack can never delete it (or the images in it).
            self.registry = None
            found = digitalocean.get_container_registry_output(
                name=settings.registry_name, opts=pulumi.InvokeOutputOptions(parent=self)
            )
            registry_name = found.name
            tier = found.subscription_tier_slug
            region = found.region
        else:
            # Create the registry; most accounts may hold only one (see the README's adoption).
            self.registry = digitalocean.ContainerRegistry(
                f"{name}-registry",
                name=settings.registry_name,
                subscription_tier_slug=settings.tier,
                region=settings.region,
                opts=child,
            )
            registry_name = self.registry.name
            tier = self.registry.subscription_tier_slug
            region = self.registry.region

        # Issue read-write credentials for pushing, with an expiry instead of the API's decades.
        self.push_credentials = digitalocean.ContainerRegistryDockerCredentials(
            f"{name}-push-credentials",
            registry_name=registry_name,
            write=True,
            expiry_seconds=settings.push_expiry_seconds,
            opts=child,
        )

        # Issue read-only credentials: the pull-only identity that the lab proves cannot push.
        self.pull_only_credentials = digitalocean.ContainerRegistryDockerCredentials(
            f"{name}-pull-only-credentials",
            registry_name=registry_name,
            write=False,
            expiry_seconds=settings.pull_only_expiry_seconds,
            opts=child,
        )

        self.registry_name = registry_name
        self.repository_url = registry_name.apply(
            lambda registry: f"{REGISTRY_HOST}/{registry}/{DEMO_IMAGE}"
        )
        self.contract = LoginContract(
            cloud="digitalocean",
            registry_host=REGISTRY_HOST,
            repository_url=self.repository_url,
            image_ref=self.repository_url.apply(lambda url: f"{url}:{DEMO_TAG}"),
            login_command=LOGIN_COMMAND.format(
                stack=pulumi.get_stack(), host=REGISTRY_HOST, username=LOGIN_USERNAME
            ),
            details={
                "registryName": registry_name,
                "tier": tier,
                "region": region,
                "adopted": settings.adopt_existing,
                "pushExpirySeconds": settings.push_expiry_seconds,
                "pullOnlyExpirySeconds": settings.pull_only_expiry_seconds,
                "pushCredentialsExpireAt": self.push_credentials.credential_expiration_time,
                "pullOnlyCredentialsExpireAt": (
                    self.pull_only_credentials.credential_expiration_time
                ),
            },
            push_identity={"method": LOGIN_METHOD},
            pull_only_identity={"method": LOGIN_METHOD},
            push_credentials={"dockerConfigJson": self.push_credentials.docker_credentials},
            pull_only_credentials={
                "dockerConfigJson": self.pull_only_credentials.docker_credentials
            },
        )

        self.register_outputs(
            {"registryName": self.registry_name, "repositoryUrl": self.repository_url}
        )
