"""The container CLI the lab drives: docker by default, or any docker-compatible CLI.

``--cli`` or ``REGISTRY_LAB_CLI`` picks another (the tests use podman). When every registry
is the offline lab's, the default is podman instead: only podman can be handed the lab's CA
per command (``--cert-dir``).

Passwords go to ``login --password-stdin`` on stdin only: never in argv, never in a child's
environment, never in a message. The CLI's own output is captured, and a failure becomes one
typed ``LabFailure`` whose line says what went wrong (see ``classify``).
"""

import os
import re
import signal
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, List, Mapping, Optional, Sequence

from registry_lab.lab import failures
from registry_lab.lab.login import RegistryLogin

DEFAULT_CLI = "docker"
OFFLINE_CLI = "podman"
CLI_VARIABLE = "REGISTRY_LAB_CLI"

# The cloud of the offline lab's contracts, whose registries trust only the lab's CA.
OFFLINE_CLOUD = "local"

# How long one CLI call may run before it is killed, in seconds: a registry that accepts the
# connection and never answers would otherwise hold the lab for ever. Transfers (build, push,
# pull) move image layers and get long; every other call is short.
LOGIN_TIMEOUT_VARIABLE = "REGISTRY_LAB_LOGIN_TIMEOUT"
TRANSFER_TIMEOUT_VARIABLE = "REGISTRY_LAB_TRANSFER_TIMEOUT"
DEFAULT_SHORT_TIMEOUT = 60.0
DEFAULT_TRANSFER_TIMEOUT = 600.0
MAX_TIMEOUT = 24 * 3600.0
TRANSFERS = ("build", "push", "pull")
# The calls that talk to a registry: when they time out, the registry did not answer.
REGISTRY_CALLS = ("login to", "logout from", "push", "pull")

# A build's timestamps, fixed so the same Dockerfile gives the same image ID on every machine.
BUILD_EPOCH = "0"

# Matched against the CLI's stderr in this order; the first match names the failure.
PATTERNS = (
    (failures.DaemonDown, "its daemon is not running",
     r"cannot connect to the docker daemon|is the docker daemon running|cannot connect to podman"),
    # The socket's permissions keep this user out: the CLI runs nothing, as with a daemon down,
    # and the local "permission denied" must never read as a registry's refusal.
    (failures.DaemonDown, "this user may not use its daemon's socket (add it to the docker "
     "group, or use rootless podman)",
     r"permission denied while trying to connect to the docker (daemon|api)"),
    (failures.ImmutableTag, "the tag already exists with other content and the repository is "
     "immutable", r"cannot be overwritten because the repository is immutable"),
    (failures.TokenExpired, "the registry token has expired; log in again",
     r"authorization token has expired|token (has )?expired"),
    (failures.Unreachable, "the registry's TLS certificate is not trusted",
     r"x509:|certificate signed by unknown authority|tls: "),
    (failures.Unreachable, "the registry is unreachable",
     r"connection refused|no such host|i/o timeout|network is unreachable|no route to host|"
     r"connection reset|server misbehaving|timeout awaiting"),
    (failures.RateLimited, "rate limited (429)", r"toomanyrequests|too many requests|\b429\b"),
    # Before the refusals: a 5xx answer may quote words such as "permission denied".
    (failures.ServerError, "the registry failed with a server error (5xx)",
     r"internal server error|bad gateway|service unavailable|gateway timeout|\b50[0-4]\b"),
    (failures.Unauthorized, "unauthorized (401): wrong username or password, or no login",
     r"unauthorized|invalid username/password|incorrect username or password|"
     r"authentication required|\b401\b"),
    # Only the registry's own refusal: its "denied" error code as the CLI prints it ("...: denied"
    # or "denied: MESSAGE", the form ECR, Artifact Registry and DigitalOcean use too), its
    # standard message, or a 403 status. A local "permission denied" (a file, a socket) is no
    # refusal and must not pass the pull-only check.
    (failures.Denied, "denied (403): this identity may not do that",
     r"(?m:(?:^|:\s)denied(?::|\s*$))|requested access to the resource is denied|\b403\b|"
     r"(?-i:\bDENIED\b)"),
    (failures.NotFound, "not found in the registry",
     r"manifest unknown|name unknown|not found|\b404\b"),
)

# Host:port pairs and digests hold digits that would read as HTTP status codes.
NOT_A_STATUS = re.compile(r"sha256:[0-9a-f]+|[\w.-]+:\d{1,5}\b")


@dataclass(frozen=True)
class Timeouts:
    """Seconds a short call (login, logout, tag, inspect) and a transfer may run."""

    short: float = DEFAULT_SHORT_TIMEOUT
    transfer: float = DEFAULT_TRANSFER_TIMEOUT


def timeouts_from(environ: Mapping[str, str]) -> Timeouts:
    """The limits REGISTRY_LAB_LOGIN_TIMEOUT and REGISTRY_LAB_TRANSFER_TIMEOUT set, or defaults."""
    return Timeouts(_seconds(environ, LOGIN_TIMEOUT_VARIABLE, DEFAULT_SHORT_TIMEOUT),
                    _seconds(environ, TRANSFER_TIMEOUT_VARIABLE, DEFAULT_TRANSFER_TIMEOUT))


def _seconds(environ: Mapping[str, str], variable: str, default: float) -> float:
    text = environ.get(variable)
    if not text:
        return default
    try:
        seconds = float(text)
    except ValueError:
        seconds = 0.0
    if not 0 < seconds <= MAX_TIMEOUT:
        raise failures.BadSetting(f"{variable}={text!r}: it must be a number of seconds above 0 "
                                  f"and at most {MAX_TIMEOUT:g}")
    return seconds


def cli_from(option: Optional[str], environ: Mapping[str, str] = os.environ,
             default: str = DEFAULT_CLI) -> "ContainerCli":
    """The CLI named by --cli, else by REGISTRY_LAB_CLI, else ``default``.

    Its time limits are read here, once: a bad one is a BadSetting before any step runs.
    """
    return ContainerCli(option or environ.get(CLI_VARIABLE) or default, timeouts_from(environ))


def default_for(contracts: Mapping[str, Mapping]) -> str:
    """podman when every registry is an offline lab's, else docker."""
    clouds = {contract.get("cloud") for contract in contracts.values()}
    return OFFLINE_CLI if clouds == {OFFLINE_CLOUD} else DEFAULT_CLI


def classify(stderr: str, action: str, target: str, secrets: Iterable[str] = ()) -> Exception:
    """The LabFailure that a CLI's stderr describes, as one line naming the action and target."""
    text = failures.redact(stderr or "", secrets)
    searchable = NOT_A_STATUS.sub(" ", text)
    for kind, explanation, pattern in PATTERNS:
        if re.search(pattern, searchable, re.IGNORECASE):
            # Quote the line that gave the verdict, not some other error the CLI also printed.
            detail = _matching_line(text, pattern) or _error_line(text)
            return kind(f"{action} {target}: {explanation} ({detail})")
    detail = _error_line(text)
    return failures.CliFailed(f"{action} {target} failed ({detail or 'no error output'})")


class ContainerCli:
    """One docker-compatible program, run with captured output."""

    def __init__(self, program: str = DEFAULT_CLI, timeouts: Timeouts = Timeouts()):
        self.program = program
        self._is_podman: Optional[bool] = None
        self._timeouts = timeouts

    def login(self, login: RegistryLogin, cert_dir: Optional[str] = None) -> None:
        args = ["login", "--username", login.username, "--password-stdin"]
        self._run(args + self._cert_dir(cert_dir) + [login.host], "login to", login.host,
                  stdin=login.password + "\n", secrets=[login.password])

    def logout(self, host: str) -> None:
        self._run(["logout", host], "logout from", host)

    def remove_tag(self, reference: str) -> None:
        """Remove a local name; the image itself goes only if that was its last name."""
        self._run(["rmi", reference], "remove", reference)

    def build(self, context: Path, tag: str) -> None:
        if self.is_podman():
            self._run(["build", "--timestamp", BUILD_EPOCH, "--tag", tag, str(context)],
                      "build", tag)
        else:
            # BuildKit takes the image's timestamps from SOURCE_DATE_EPOCH.
            self._run(["build", "--tag", tag, str(context)], "build", tag,
                      extra_env={"SOURCE_DATE_EPOCH": BUILD_EPOCH})

    def tag(self, source: str, target: str) -> None:
        self._run(["tag", source, target], "tag", target)

    def push(self, reference: str, cert_dir: Optional[str] = None) -> None:
        self._run(["push"] + self._cert_dir(cert_dir) + [reference], "push", reference)

    def pull(self, reference: str, cert_dir: Optional[str] = None) -> None:
        self._run(["pull"] + self._cert_dir(cert_dir) + [reference], "pull", reference)

    def image_id(self, reference: str) -> str:
        """The local image's ID (its config digest), as sha256:HEX."""
        output = self._run(["image", "inspect", "--format", "{{.Id}}", reference],
                           "inspect", reference)
        image_id = output.strip()
        return image_id if image_id.startswith("sha256:") else f"sha256:{image_id}"

    def is_podman(self) -> bool:
        """Whether the CLI is podman (or wraps it): only podman takes --cert-dir."""
        if self._is_podman is None:
            version = self._run(["--version"], "run", self.program)
            self._is_podman = version.lower().startswith("podman")
        return self._is_podman

    def _cert_dir(self, cert_dir: Optional[str]) -> List[str]:
        # Docker reads registry CAs only from /etc/docker/certs.d/HOST/; a TLS failure says so.
        if cert_dir and self.is_podman():
            return ["--cert-dir", cert_dir]
        return []

    def _run(self, args: Sequence[str], action: str, target: str, stdin: Optional[str] = None,
             secrets: Iterable[str] = (), extra_env: Optional[Mapping[str, str]] = None) -> str:
        environment = dict(os.environ, **(extra_env or {}))
        limit, variable = self._limit(action)
        try:
            # Its own session, so that a timeout kills the CLI with every helper it started.
            # Without a password to send, stdin is closed so that no CLI waits for a prompt.
            process = subprocess.Popen(
                [self.program, *args], text=True, env=environment, start_new_session=True,
                stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL,
                stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        except FileNotFoundError:
            raise failures.CliMissing(
                f"container CLI {self.program!r} is not installed or not on PATH; install it, "
                f"or name another with --cli or {CLI_VARIABLE}") from None
        except OSError as error:
            # A folder, a file without execute permission, or a file that is no program.
            raise failures.CliMissing(
                f"container CLI {self.program!r} cannot be run ({error.strerror or error}); "
                f"name a docker-compatible program with --cli or {CLI_VARIABLE}") from None

        try:
            stdout, stderr = process.communicate(stdin, timeout=limit)
        except subprocess.TimeoutExpired:
            _kill(process)
            raise self._timed_out(action, target, limit, variable) from None
        except BaseException:
            _kill(process)
            raise

        if process.returncode != 0:
            raise classify(stderr + "\n" + stdout, action, target, secrets)
        return stdout

    def _limit(self, action: str):
        if action in TRANSFERS:
            return self._timeouts.transfer, TRANSFER_TIMEOUT_VARIABLE
        return self._timeouts.short, LOGIN_TIMEOUT_VARIABLE

    def _timed_out(self, action: str, target: str, limit: float,
                   variable: str) -> failures.LabFailure:
        line = (f"{action} {target}: {self.program} did not finish within {limit:g} s and was "
                f"stopped ({variable} sets the limit)")
        if action in REGISTRY_CALLS:
            return failures.Unreachable(f"{line}: the registry did not answer")
        return failures.CliFailed(line)


def _kill(process: subprocess.Popen) -> None:
    """Kill the CLI's whole session, then reap it without waiting on pipes a helper holds."""
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    except PermissionError:
        process.kill()
    process.wait()
    for stream in (process.stdin, process.stdout, process.stderr):
        if stream is not None:
            stream.close()


def _matching_line(text: str, pattern: str) -> str:
    """The last line of a CLI's output that ``pattern`` matches on its own, shortened."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    matching = [line for line in lines
                if re.search(pattern, NOT_A_STATUS.sub(" ", line), re.IGNORECASE)]
    return _shortened(matching[-1]) if matching else ""


def _error_line(text: str) -> str:
    """The line of a CLI's output that says what failed, shortened to fit one line."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    errors = [line for line in lines if "error" in line.lower()]
    return _shortened((errors or lines or [""])[-1])


def _shortened(line: str) -> str:
    return line if len(line) <= 300 else line[:297] + "..."
