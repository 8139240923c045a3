"""Push demo:v1 to every registry, logging in right before each push."""

import time
from typing import Any, Callable, Dict, Mapping

from registry_lab.lab import failures
from registry_lab.lab.cli_login import log_in
from registry_lab.lab.container_cli import ContainerCli
from registry_lab.lab.demo_image import LOCAL_REFERENCE
from registry_lab.lab.login import PUSH
from registry_lab.lab.progress import Progress
from registry_lab.lab.refusals import push_refusal
from registry_lab.lab.report import Report

PUSH_ATTEMPTS = 3
FIRST_BACKOFF = 2.0


def log_in_all(contracts: Dict[str, Mapping[str, Any]], cli: ContainerCli, progress: Progress,
               report: Report) -> None:
    """Log the CLI in to every registry as its push identity."""
    for name, contract in contracts.items():
        row = report.row(name, contract["imageRef"])
        try:
            login = log_in(cli, contract, PUSH)
        except failures.LabFailure as failure:
            progress.step("login", name, "failed")
            report.fail(row, "login", str(failure), failure.exit_code)
            continue
        progress.step("login", name, f"logged in to {login.host} as {login.username}")


def push_all(contracts: Dict[str, Mapping[str, Any]], cli: ContainerCli, progress: Progress,
             report: Report, source: str = LOCAL_REFERENCE) -> None:
    """Tag ``source`` as each contract's imageRef and push it there."""
    for name, contract in contracts.items():
        row = report.row(name, contract["imageRef"])
        try:
            push_one(contract, cli, source)
        except failures.LabFailure as failure:
            progress.step("push", name, "failed")
            report.fail(row, "push", str(failure), failure.exit_code)
            continue
        progress.step("push", name, f"pushed {contract['imageRef']}")


def push_one(contract: Mapping[str, Any], cli: ContainerCli, source: str,
             sleep: Callable[[float], None] = time.sleep) -> None:
    """Tag and push one copy; 429 and 5xx are tried again, a bounded number of times."""
    reference = contract["imageRef"]
    cli.tag(source, reference)

    for attempt in range(1, PUSH_ATTEMPTS + 1):
        try:
            _log_in_and_push(contract, cli, reference)
            return
        except (failures.RateLimited, failures.ServerError) as failure:
            if attempt == PUSH_ATTEMPTS:
                raise type(failure)(f"{failure} (after {attempt} attempts)") from None
            # The CLI does not pass on Retry-After, so back off exponentially instead.
            sleep(FIRST_BACKOFF * 2 ** (attempt - 1))


def _log_in_and_push(contract: Mapping[str, Any], cli: ContainerCli, reference: str) -> None:
    # Cloud tokens expire (ECR's after 12 hours): a login made just now is never a stale one.
    log_in(cli, contract, PUSH)
    match push_refusal(cli, contract, PUSH, reference):
        case None:
            return
        case failures.TokenExpired() | failures.LimitReached() as refusal:
            raise refusal
        case failures.Unauthorized() as refusal:
            raise failures.TokenExpired(
                f"push {reference}: refused with 401 right after a fresh login, so the token "
                f"expired or the login is broken ({refusal})")
        case refusal:
            raise refusal
