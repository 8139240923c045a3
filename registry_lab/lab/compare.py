"""Prove every copy is the same image, reading each registry's own manifest.

The first registry named whose manifest was read is the reference. Each copy's manifest digest
comes from a HEAD; the config digest (image ID) from a GET of the manifest (two for an index),
made once per distinct manifest digest, since equal digests mean equal bytes. A HEAD spends no
pull on Docker Hub but a GET does, so Docker Hub, named last, spends at most one or two pulls,
and none when an earlier registry served its digest. A registry that sends no
Docker-Content-Digest on a HEAD gets a GET for the digest too. Verdicts:
  same                              the manifest digests are equal
  same image, different encoding    equal config, different manifests; the reason says how
  differs                           a different config: another image (exit DIFFERS)
"""

from typing import Any, Callable, Dict, Mapping, Optional, Tuple

from registry_lab.lab import adapters, exit_codes, failures
from registry_lab.lab.login import PUSH, LoginError
from registry_lab.lab.progress import Progress
from registry_lab.lab.registry_api import Manifest, RegistryClient, split_reference
from registry_lab.lab.report import COMPARE as COMPARE_STEP, Report

SAME = "same"
SAME_IMAGE_DIFFERENT_ENCODING = "same image, different encoding"
DIFFERS = "differs"
REFERENCE = "reference"


def client_for(contract: Mapping[str, Any]) -> RegistryClient:
    """A client logged in as the contract's push identity, trusting its CA when it has one."""
    try:
        login = adapters.login_for(contract, PUSH)
    except LoginError as error:
        raise failures.Unauthorized(f"push login: {error}") from None
    details = contract.get("details") or {}
    # Docker Hub logs in at docker.io but serves the registry API from another host.
    api_host = details.get("apiHost") or contract["registryHost"]
    return RegistryClient(api_host, login.username, login.password, details.get("caFile"))


def compare(contracts: Dict[str, Mapping[str, Any]], progress: Progress, report: Report,
            make_client: Callable[[Mapping[str, Any]], RegistryClient] = client_for) -> None:
    copies: Dict[str, Tuple[RegistryClient, str, Manifest]] = {}
    for name, contract in contracts.items():
        row = report.row(name, contract["imageRef"])
        try:
            client = make_client(contract)
            repository, tag = split_reference(contract["imageRef"], contract["registryHost"])
            head = client.head_manifest(repository, tag)
        except failures.LabFailure as failure:
            progress.step("compare", name, "failed")
            report.fail(row, COMPARE_STEP, str(failure), failure.exit_code)
            continue
        copies[name] = (client, repository, head)
        row.manifest_digest = head.digest

    images: Dict[str, Manifest] = {}
    compared: Dict[str, str] = {}
    for name, (client, repository, head) in copies.items():
        if head.digest not in images:
            try:
                images[head.digest] = client.image_manifest(repository, head.digest)[1]
            except failures.LabFailure as failure:
                progress.step("compare", name, "failed")
                report.fail(report.rows[name], COMPARE_STEP, str(failure), failure.exit_code)
                continue
        compared[name] = head.digest

    # Only a registry whose manifest was read gets a verdict, so the reference is the first
    # of those: one whose GET failed stays failed even if another served the same digest.
    reference: Optional[Manifest] = None
    reference_digest = None
    for name, digest in compared.items():
        image = images[digest]
        row = report.rows[name]
        row.image_id = image.config_digest
        if reference is None:
            reference, reference_digest = image, digest
            row.verdict = REFERENCE
        else:
            row.verdict, row.reason = verdict(reference_digest, reference, digest, image)
        if row.verdict == DIFFERS:
            report.failures.append(f"{name}: {row.reference} is not the same image "
                                   f"({row.reason})")
            if report.exit_code == exit_codes.OK:
                report.exit_code = exit_codes.DIFFERS
        progress.step("compare", name, _summary(row))


def verdict(reference_digest: str, reference: Manifest, digest: str,
            image: Manifest) -> Tuple[str, Optional[str]]:
    """The verdict on one copy against the reference copy, and its reason."""
    if digest == reference_digest:
        return SAME, None
    if image.config_digest != reference.config_digest:
        return DIFFERS, f"image ID {image.config_digest} is not {reference.config_digest}"
    return SAME_IMAGE_DIFFERENT_ENCODING, encoding_reason(reference, image)


def encoding_reason(reference: Manifest, image: Manifest) -> str:
    """Why two manifests of one config differ."""
    if image.layer_digests != reference.layer_digests:
        return "layers re-compressed on push"
    if image.media_type != reference.media_type:
        return f"manifest format {image.media_type} instead of {reference.media_type}"
    return "manifest bytes differ (annotations or field order)"


def _summary(row) -> str:
    text = f"image ID {row.image_id}, manifest {row.manifest_digest}: {row.verdict}"
    return f"{text} ({row.reason})" if row.reason else text
