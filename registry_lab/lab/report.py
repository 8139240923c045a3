"""The lab's result: one row per registry, as a table for people or JSON for machines."""

import json
from dataclasses import asdict, dataclass, field
from typing import Dict, List, Optional

from registry_lab.lab import exit_codes
from registry_lab.lab.text_table import format_table

COLUMNS = ("registry", "reference", "image ID", "manifest digest", "verdict")
READ_ONLY_COLUMN = "pull-only"

FAILED = "failed"
COMPARE = "compare"


@dataclass
class RegistryRow:
    registry: str
    reference: str
    image_id: Optional[str] = None
    manifest_digest: Optional[str] = None
    verdict: Optional[str] = None
    reason: Optional[str] = None
    read_only: Optional[str] = None
    # The step that failed on this registry; only a failed compare is a verdict of "failed".
    failed_step: Optional[str] = None


@dataclass
class Report:
    """Rows by registry name, the failures seen (one line each) and the exit code."""

    rows: Dict[str, RegistryRow] = field(default_factory=dict)
    failures: List[str] = field(default_factory=list)
    exit_code: int = exit_codes.OK

    def row(self, registry: str, reference: str) -> RegistryRow:
        if registry not in self.rows:
            self.rows[registry] = RegistryRow(registry, reference)
        return self.rows[registry]

    def fail(self, row: RegistryRow, step: str, message: str, exit_code: int) -> None:
        """Record a registry's failure in ``step``; the first failure's code is the exit code.

        The failure's line names the registry, since the step's progress line only says
        "failed". A login or push that failed compared nothing, so it leaves no verdict.
        """
        row.failed_step = step
        if step == COMPARE:
            row.verdict = FAILED
        row.reason = message
        self.failures.append(f"{row.registry}: {message}")
        if self.exit_code == exit_codes.OK:
            self.exit_code = exit_code


def short_digest(digest: Optional[str]) -> str:
    """sha256:0123456789ab: enough to tell digests apart in a table."""
    if not digest:
        return "-"
    algorithm, _, value = digest.partition(":")
    return f"{algorithm}:{value[:12]}"


def verdict_text(row: RegistryRow) -> str:
    if not row.verdict:
        return f"- ({row.failed_step} failed)" if row.failed_step else "-"
    if row.reason and row.verdict != FAILED:
        return f"{row.verdict} ({row.reason})"
    return row.verdict


def table(report: Report) -> str:
    """A plain-text table; the read-only column appears once the check has run."""
    with_read_only = any(row.read_only for row in report.rows.values())
    header = list(COLUMNS) + ([READ_ONLY_COLUMN] if with_read_only else [])
    rows = []
    for row in report.rows.values():
        cells = [row.registry, row.reference, short_digest(row.image_id),
                 short_digest(row.manifest_digest), verdict_text(row)]
        if with_read_only:
            cells.append(row.read_only or "-")
        rows.append(cells)
    return format_table(header, rows).rstrip("\n")


def as_json(report: Report) -> str:
    document = {
        "exitCode": report.exit_code,
        "meaning": exit_codes.MEANINGS.get(report.exit_code, ""),
        "failures": report.failures,
        "registries": [_camel(asdict(row)) for row in report.rows.values()],
    }
    return json.dumps(document, indent=2)


def _camel(values: dict) -> dict:
    names = {"image_id": "imageId", "manifest_digest": "manifestDigest",
             "read_only": "readOnly", "failed_step": "failedStep"}
    return {names.get(key, key): value for key, value in values.items()}
