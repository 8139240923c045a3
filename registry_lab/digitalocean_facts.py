"""What both the DigitalOcean stack and the lab rely on about DOCR, stated once.

A module of its own, outside ``registry_lab/digitalocean/``: importing anything in that package
first runs its ``__init__``, which loads ``pulumi_digitalocean``, and the lab must not need it.

Destroying the stack and the Docker credentials. In the Terraform provider that
pulumi-digitalocean bridges (digitalocean/terraform-provider-digitalocean,
``digitalocean/registry/resource_container_registry_docker_credentials.go``), deleting a
``digitalocean_container_registry_docker_credentials`` decodes the stored docker config and
posts the token to DigitalOcean's OAuth revoke endpoint, but it drops any error from that call
and reports the delete as done either way. Earlier versions sent the user part of the
``user:token`` auth and later ones the password part. A change of ``expiry_seconds`` (or a
refresh after expiry) issues new credentials without revoking the old ones. So ``pulumi
destroy`` tries to revoke the credentials but nothing confirms it did: their expiry
(``registry_lab/digitalocean/settings.py``) is the bound that always holds.
"""

# Every DOCR registry is served from this one host; the registry name is the first path part.
REGISTRY_HOST = "registry.digitalocean.com"

# DOCR's docker config repeats the API token as the user name, yet DOCR authenticates by the
# password alone: public scripts log in with user names such as "unused", "doctl" or an email
# address. A user name travels in argv, so a login sends this harmless one and the token only
# as the password.
LOGIN_USERNAME = "registry-lab"
