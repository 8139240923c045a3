"""The whole lab in order: build, log in, push, compare, check pull-only; as each command runs it.

The offline lab and the clouds run exactly this; only where the contracts come from differs.
"""

from typing import Any, Dict, Mapping

from registry_lab.lab import compare, demo_image, exit_codes, failures, push, read_only
from registry_lab.lab.container_cli import ContainerCli
from registry_lab.lab.progress import Progress
from registry_lab.lab.report import Report

# Verdicts that still leave the next step worth running; anything else stops the flow.
GOING_ON = (exit_codes.OK, exit_codes.DIFFERS)


def build(cli: ContainerCli, progress: Progress, report: Report) -> None:
    try:
        image_id = demo_image.build(cli)
    except failures.LabFailure as failure:
        progress.step("build", demo_image.LOCAL_REFERENCE, "failed")
        report.failures.append(str(failure))
        report.exit_code = failure.exit_code
        return
    progress.step("build", demo_image.LOCAL_REFERENCE, f"built, image ID {image_id}")


def run(contracts: Dict[str, Mapping[str, Any]], cli: ContainerCli,
        progress: Progress) -> Report:
    report = Report()
    for name, contract in contracts.items():
        report.row(name, contract["imageRef"])

    steps = (
        lambda: build(cli, progress, report),
        lambda: push.log_in_all(contracts, cli, progress, report),
        lambda: push.push_all(contracts, cli, progress, report),
        lambda: compare.compare(contracts, progress, report),
        lambda: read_only.check_all(contracts, cli, progress, report),
    )
    for step in steps:
        step()
        if report.exit_code not in GOING_ON:
            break
    return report
