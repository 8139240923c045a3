"""What both the DigitalOcean stack and the lab rely on about DOCR, stated once.

A module of its own, outside ``registry_lab/digitalocean/``: importing anything in that package
first runs its ``__init__``, which loads ``pulumi_digitalocean``, and the lab must not need it.
"""

# Every DOCR registry is served from this one host; the registry name is the first path part.
REGISTRY_HOST = "registry.digitalocean.com"

# DOCR's docker config repeats the API token as the user name, yet DOCR authenticates by the
# password alone: public scripts log in with user names such as "unused", "doctl" or an email
# address. A user name travels in argv, so a login sends this harmless one and the token only
# as the password.
LOGIN_USERNAME = "registry-lab"
