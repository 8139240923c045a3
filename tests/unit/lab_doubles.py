"""Doubles for the lab's step tests: a recording container CLI and local contracts."""

from registry_lab.lab import failures


def local_contract(port, push_password="push-pw", pull_password="pull-pw"):
    host = f"127.0.0.1:{port}"
    return {
        "cloud": "local",
        "registryHost": host,
        "repositoryUrl": f"{host}/registry-lab/demo",
        "imageRef": f"{host}/registry-lab/demo:v1",
        "loginCommand": f"podman login --username pusher {host}",
        "details": {"caFile": "/lab/ca.pem", "certDir": "/lab/certs"},
        "pushIdentity": {"method": "basic", "username": "pusher"},
        "pullOnlyIdentity": {"method": "basic", "username": "puller"},
        "pushCredentials": {"username": "pusher", "password": push_password},
        "pullOnlyCredentials": {"username": "puller", "password": pull_password},
    }


class RecordingCli:
    """Records each call in order; ``fail[(command, target)]`` is raised for that call

    (or, when it is a list, its items one per call).
    """

    def __init__(self, fail=None):
        self.calls = []
        self.fail = fail or {}

    def _call(self, command, target):
        self.calls.append((command, target))
        failure = self.fail.get((command, target))
        if isinstance(failure, list):
            # A list is raised one item per call, then the call succeeds.
            failure = failure.pop(0) if failure else None
        if failure is not None:
            raise failure

    def login(self, login, cert_dir=None):
        self._call("login", f"{login.username}@{login.host}")

    def logout(self, host):
        self._call("logout", host)

    def tag(self, source, target):
        self._call("tag", target)

    def push(self, reference, cert_dir=None):
        self._call("push", reference)

    def pull(self, reference, cert_dir=None):
        self._call("pull", reference)


def denied(reference):
    return failures.Denied(f"push {reference}: denied (403)")
