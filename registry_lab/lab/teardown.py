"""Tear the lab's stacks down: ``pulumi destroy`` for each named stack, then what is gone.

Every stack is attempted even when an earlier one fails, so one broken stack never leaves the
others billing; the report names each stack as destroyed or with the error Pulumi gave.
Whether a registry that still holds images can go is up to its stack's settings (ECR needs
force delete); a refusal shows here as that stack's error. ``pulumi destroy`` keeps the
stack's history and configuration (nothing billable); ``pulumi stack rm`` forgets it.
"""

import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, List, Optional, Sequence, TextIO

from registry_lab.lab import exit_codes

# Where Pulumi.yaml lives: pulumi destroy must run in the project that owns the stacks.
PROJECT_DIR = Path(__file__).resolve().parents[2]

STACK_NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]*(/[A-Za-z0-9_][A-Za-z0-9_.-]*){0,2}")
STACK_RULE = "must be a Pulumi stack name such as aws or my-org/registry-lab/aws"

INSTALL_HINT = "install it (https://www.pulumi.com/docs/install/) and log in to the lab's backend"

DELETED_COUNT = re.compile(r"^\s*-\s*(\d+) deleted\s*$", re.MULTILINE)


class TeardownError(Exception):
    """Nothing was destroyed: bad arguments, no Pulumi CLI, or no confirmation.

    ``exit_code`` says which: USAGE, CONTRACT (as when a step cannot read a stack without
    pulumi) or NOT_CONFIRMED.
    """

    def __init__(self, message: str, exit_code: int):
        super().__init__(message)
        self.exit_code = exit_code


@dataclass(frozen=True)
class StackTeardown:
    stack: str
    destroyed: bool
    # How many resources Pulumi reports deleted; None when its summary does not say.
    resources_deleted: Optional[int] = None
    error: Optional[str] = None

    def as_json(self) -> dict:
        return {
            "stack": self.stack,
            "destroyed": self.destroyed,
            "resourcesDeleted": self.resources_deleted,
            "error": self.error,
        }


def checked_stack_names(stacks: Sequence[str]) -> List[str]:
    """The stack names in order without repeats; TeardownError naming the first bad one."""
    names = []
    for stack in stacks:
        if not STACK_NAME.fullmatch(stack):
            raise TeardownError(f"--stack={stack!r}: {STACK_RULE}", exit_codes.USAGE)
        if stack not in names:
            names.append(stack)
    return names


def find_pulumi(path: Optional[str] = None) -> str:
    """The pulumi executable on PATH (or ``path``); TeardownError when there is none."""
    pulumi = shutil.which("pulumi", path=path)
    if pulumi is None:
        raise TeardownError(f"the pulumi CLI is not on PATH: {INSTALL_HINT}",
                            exit_codes.CONTRACT)
    return pulumi


def confirm(stacks: Sequence[str], stdin: TextIO, stderr: TextIO) -> bool:
    """Ask on the terminal; only a typed "yes" confirms. Without a terminal, refuse."""
    names = ", ".join(stacks)
    if not stdin.isatty():
        raise TeardownError(
            f"refusing to destroy stacks {names} unconfirmed: stdin is not a terminal "
            "(pass --yes to confirm)",
            exit_codes.NOT_CONFIRMED,
        )

    stderr.write(f"Destroy every resource of stacks {names}? Type yes to go on: ")
    stderr.flush()
    return stdin.readline().strip().lower() == "yes"


def pulumi_error(lines: Sequence[str]) -> str:
    """The line of Pulumi's output that says what went wrong: its last error, else its end."""
    errors = [line for line in lines if line.lstrip().startswith("error:")]
    meaningful = errors or [line for line in lines if line.strip()]
    return " ".join(meaningful[-1].split()) if meaningful else "no output"


def destroy_stack(
    pulumi: str, stack: str, progress: Callable[[str], None], cwd: Path = PROJECT_DIR
) -> StackTeardown:
    """Run ``pulumi destroy`` for one stack, passing its output on as progress."""
    command = [pulumi, "destroy", "--stack", stack, "--yes", "--non-interactive"]
    progress(f"destroying stack {stack}: {' '.join(command[1:])}")
    lines = []
    try:
        with subprocess.Popen(
            command,
            cwd=cwd,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        ) as child:
            for line in child.stdout:
                lines.append(line.rstrip("\n"))
                progress(f"  {line.rstrip()}")
    except OSError as error:
        return StackTeardown(stack, False, error=f"could not run {pulumi}: {error.strerror}")

    if child.returncode != 0:
        return StackTeardown(
            stack,
            False,
            error=f"pulumi destroy exited {child.returncode}: {pulumi_error(lines)}",
        )

    counts = DELETED_COUNT.findall("\n".join(lines))
    return StackTeardown(stack, True, resources_deleted=int(counts[-1]) if counts else None)


def teardown(
    stacks: Sequence[str],
    pulumi: str,
    progress: Callable[[str], None],
    cwd: Path = PROJECT_DIR,
) -> List[StackTeardown]:
    """Destroy each stack in turn; a failed stack does not stop the ones after it."""
    return [destroy_stack(pulumi, stack, progress, cwd) for stack in stacks]
