"""Prove each pull-only identity is read-only: pulling works and pushing is refused with 403.

The check passes only on exactly that. A refused login (401), a network error, a missing login,
a failed pull or an accepted push is a failure of the check, never a pass. A contract whose
pull-only method is "none" (Docker Hub's) has nothing to check and is shown as skipped; a check
that skipped every registry proved nothing and exits NOTHING_CHECKED, never OK. A container CLI
that is missing or whose daemon is down runs nothing, so the check is "not checked" with the
CLI's own exit code, not a failed check.
"""

from typing import Any, Dict, Mapping

from registry_lab.lab import exit_codes, failures
from registry_lab.lab.cli_login import cert_dir, log_in
from registry_lab.lab.container_cli import ContainerCli
from registry_lab.lab.login import NO_IDENTITY, PULL_ONLY
from registry_lab.lab.progress import Progress
from registry_lab.lab.refusals import push_refusal, refined
from registry_lab.lab.report import Report

PASSED = "pull ok, push denied (403)"
SKIPPED = "skipped"
FAILED = "failed"
NOT_CHECKED = "not checked"


class CheckFailed(Exception):
    """The pull-only identity is not proven read-only; the message says which part failed."""


def check_all(contracts: Dict[str, Mapping[str, Any]], cli: ContainerCli, progress: Progress,
              report: Report) -> None:
    for name, contract in contracts.items():
        row = report.row(name, contract["imageRef"])
        if (contract.get("pullOnlyIdentity") or {}).get("method") == NO_IDENTITY:
            # Nothing to prove: shown as skipped with the reason, never counted as a pass.
            reason = (contract.get("details") or {}).get("pullOnlySkipReason") or (
                "the contract names no pull-only identity")
            row.read_only = SKIPPED
            progress.step("check-read-only", name, f"{SKIPPED}: {reason}")
            continue
        try:
            check_one(contract, cli)
        except CheckFailed as failure:
            _record(report, row, FAILED, f"{name}: pull-only check failed: {failure}",
                    exit_codes.READ_ONLY_FAILED)
            progress.step("check-read-only", name, FAILED)
            continue
        except failures.CLI_UNAVAILABLE as failure:
            _record(report, row, NOT_CHECKED, f"{name}: pull-only check not run: {failure}",
                    failure.exit_code)
            progress.step("check-read-only", name, NOT_CHECKED)
            continue
        row.read_only = PASSED
        progress.step("check-read-only", name, PASSED)

    _fail_if_nothing_checked(contracts, report)


def _fail_if_nothing_checked(contracts: Dict[str, Mapping[str, Any]], report: Report) -> None:
    """A check that skipped every registry proved nothing, so it must not read as passed."""
    skipped = [name for name in contracts if report.rows[name].read_only == SKIPPED]
    if contracts and len(skipped) == len(contracts) and report.exit_code == exit_codes.OK:
        report.failures.append(f"no pull-only identity was checked: every registry was skipped "
                               f"({', '.join(skipped)})")
        report.exit_code = exit_codes.NOTHING_CHECKED


def _record(report: Report, row, outcome: str, message: str, exit_code: int) -> None:
    row.read_only = outcome
    report.failures.append(message)
    if report.exit_code == exit_codes.OK:
        report.exit_code = exit_code


def check_one(contract: Mapping[str, Any], cli: ContainerCli) -> None:
    """CheckFailed saying what failed; a CLI that cannot run raises its own failure."""
    reference = contract["imageRef"]
    try:
        log_in(cli, contract, PULL_ONLY)
    except failures.CLI_UNAVAILABLE:
        raise
    except failures.LabFailure as failure:
        raise CheckFailed(f"could not log in: {failure}") from None

    try:
        _pull_then_push(reference, contract, cli)
    finally:
        # Leave no pull-only login behind to be mistaken for the push identity's later.
        try:
            cli.logout(contract["registryHost"])
        except failures.LabFailure:
            pass


def _pull_then_push(reference: str, contract: Mapping[str, Any], cli: ContainerCli) -> None:
    try:
        cli.pull(reference, cert_dir(contract))
    except failures.CLI_UNAVAILABLE:
        raise
    except failures.LabFailure as failure:
        raise CheckFailed(f"the pull did not succeed: "
                          f"{refined(contract, PULL_ONLY, failure)}") from None

    # Pushing back what was just pulled changes nothing even if the registry wrongly allows it.
    match push_refusal(cli, contract, PULL_ONLY, reference):
        case failures.Denied():
            return
        case None:
            raise CheckFailed(f"the push of {reference} was accepted: the identity can write")
        case failures.CliMissing() | failures.DaemonDown() as refusal:
            raise refusal
        case failures.TokenExpired() as refusal:
            raise CheckFailed(f"the credentials expired, which proves nothing ({refusal})")
        case failures.LimitReached() as refusal:
            raise CheckFailed(f"the push was refused for the registry's limits, not for the "
                              f"identity's rights ({refusal})")
        case failures.Unauthorized() as refusal:
            raise CheckFailed(f"the push got 401, not 403: the login is broken, which proves "
                              f"nothing ({refusal})")
        case refusal:
            raise CheckFailed(f"the push failed without a denial: {refusal}")
