"""The login contract: what every stack exports, with the same keys on every cloud.

It is the seam between provisioning and the lab. A stack exports it through
``registry_lab.exports``; the offline lab writes the same shape to a JSON file; the scripts read
either and need nothing else. Cloud specifics live inside the identity and details objects.

Keys:
  cloud               "aws" | "gcp" | "digitalocean" | "local" (the offline lab)
                      | "dockerhub" (from the environment: registry_lab.lab.dockerhub)
  registryHost        the login server, e.g. 123456789012.dkr.ecr.eu-west-1.amazonaws.com
  repositoryUrl       where the lab's image lives, without a tag
  imageRef            the reference the lab pushes: repositoryUrl plus ":v1" where the repository
                      is the image (ECR, DigitalOcean), plus "/demo:v1" where it holds images (GCP)
  loginCommand        how a person logs in as the pusher, as a shell line with no secret in it
  details             plain facts about the registry (region or location, project, tier ...)
  pushIdentity        how a script logs in to push: {"method": ..., method parameters}
  pullOnlyIdentity    how a script logs in as the pull-only identity, same shape
  pushCredentials     secret or null: static credentials for pushing, where the cloud has them
  pullOnlyCredentials secret or null: static credentials of the pull-only identity

Login methods and their parameters:
  ecr-token        region, registryId: an ECR token from the caller's own AWS credentials
  ecr-assume-role  region, registryId, roleArn: assume the role, then fetch an ECR token
  ecr-access-key   region, registryId, roleArn, userName; credentials {accessKeyId,
                   secretAccessKey}
  gcp-impersonate  serviceAccount: an impersonated access token, user oauth2accesstoken
  gcp-key          serviceAccount; credentials {keyJsonBase64}, user _json_key_base64
  docker-config    credentials {dockerConfigJson}: a docker config with an auth for the host
  basic            credentials {username, password}
  none             no such identity (Docker Hub's pull-only): checks that need it skip it
"""

CONTRACT_KEYS = (
    "cloud",
    "registryHost",
    "repositoryUrl",
    "imageRef",
    "loginCommand",
    "details",
    "pushIdentity",
    "pullOnlyIdentity",
    "pushCredentials",
    "pullOnlyCredentials",
)

SECRET_KEYS = ("pushCredentials", "pullOnlyCredentials")

CLOUDS = ("aws", "gcp", "digitalocean", "local", "dockerhub")

LOGIN_METHODS = (
    "ecr-token",
    "ecr-assume-role",
    "ecr-access-key",
    "gcp-impersonate",
    "gcp-key",
    "docker-config",
    "basic",
    "none",
)

# The lab pushes one image under one tag; every cloud names where it goes differently.
DEMO_IMAGE = "demo"
DEMO_TAG = "v1"
