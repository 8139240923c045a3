"""A registry's refusal in the cloud's own terms, where the cloud's words tell more than 401/403.

DigitalOcean answers a push over the tier's repository or storage limit with "denied", and
expired credentials with a plain 401 or 403 (see registry_lab.lab.digitalocean_refusals).
Taken as they come, a full registry would read as a pull-only identity's denial and pass the
read-only check; here it becomes a ``LimitReached`` or ``TokenExpired`` failure instead.
"""

from typing import Any, Callable, Dict, Mapping, Optional

from registry_lab.lab import digitalocean_refusals as docr
from registry_lab.lab import failures
from registry_lab.lab.cli_login import cert_dir
from registry_lab.lab.container_cli import ContainerCli

STATUS_OF = ((failures.Denied, 403), (failures.Unauthorized, 401))


def refined(contract: Mapping[str, Any], role: str,
            failure: failures.LabFailure) -> failures.LabFailure:
    """``failure``, or the clearer failure the contract's cloud gives for the same refusal."""
    status = next((code for kind, code in STATUS_OF if isinstance(failure, kind)), None)
    refiner = REFINERS.get(contract.get("cloud"))
    if refiner is None or status is None:
        return failure
    return refiner(contract, role, status, failure)


def push_refusal(cli: ContainerCli, contract: Mapping[str, Any], role: str,
                 reference: str) -> Optional[failures.LabFailure]:
    """Push ``reference`` as ``role``: None when it was accepted, else its refined failure."""
    try:
        cli.push(reference, cert_dir(contract))
    except failures.LabFailure as failure:
        return refined(contract, role, failure)
    return None


def _digitalocean(contract: Mapping[str, Any], role: str, status: int,
                  failure: failures.LabFailure) -> failures.LabFailure:
    refusal = docr.classify_push_refusal(status, str(failure), contract.get("details") or {},
                                         role)
    if refusal.kind in (docr.REPOSITORY_LIMIT, docr.STORAGE_LIMIT):
        return failures.LimitReached(refusal.message)
    if refusal.kind == docr.EXPIRED:
        return failures.TokenExpired(refusal.message)
    return failure


# By contract cloud: how that cloud's 401 or 403 says more than its status. A cloud that is
# not here keeps the failure as it came.
REFINERS: Dict[str, Callable[[Mapping[str, Any], str, int, failures.LabFailure],
                             failures.LabFailure]] = {
    "digitalocean": _digitalocean,
}
