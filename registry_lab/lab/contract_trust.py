"""The TLS trust files a contract's details may name, checked before any request is sent.

A registry whose TLS a lab CA signed (the offline lab's) names that CA twice: ``caFile`` for
the lab's own HTTPS reads (compare) and ``certDir``, the folder podman takes as ``--cert-dir``
(login, push, check-read-only). Both vanish with ``scripts/lab offline down``, so a saved
contracts file outlives them; such a contract is invalid, said in one line naming the file.
"""

import ssl
from pathlib import Path
from typing import Mapping

from registry_lab.lab.failures import ContractFailure

RESTART_HINT = ("a stopped offline lab takes its CA with it: start it with "
                "'scripts/lab offline up' and use the contracts it writes")


def check_trust_files(details: Mapping, source: str) -> None:
    """ContractFailure naming the source and the file when caFile or certDir is unusable."""
    ca_file = details.get("caFile")
    if ca_file is not None:
        _check_path(ca_file, "caFile", source)
        if not Path(ca_file).is_file():
            raise ContractFailure(f"{source}: details.caFile {ca_file!r} does not exist or is "
                                  f"not a file ({RESTART_HINT})")
        _check_certificates(ca_file, "caFile", source)

    cert_dir = details.get("certDir")
    if cert_dir is not None:
        _check_path(cert_dir, "certDir", source)
        if not Path(cert_dir).is_dir():
            raise ContractFailure(f"{source}: details.certDir {cert_dir!r} does not exist or "
                                  f"is not a folder ({RESTART_HINT})")
        _check_cert_dir(cert_dir, source)


def _check_path(value, key: str, source: str) -> None:
    if not isinstance(value, str) or not value:
        raise ContractFailure(f"{source}: details.{key} must be a non-empty path string")


def _check_cert_dir(cert_dir: str, source: str) -> None:
    """podman trusts the *.crt files of --cert-dir: there must be one, and each a certificate."""
    certificates = sorted(Path(cert_dir).glob("*.crt"))
    if not certificates:
        raise ContractFailure(f"{source}: details.certDir {cert_dir!r} holds no CA certificate "
                              f"(*.crt) ({RESTART_HINT})")
    for certificate in certificates:
        _check_certificates(str(certificate), "certDir", source)


def _check_certificates(path: str, key: str, source: str) -> None:
    # Loading it here is what the HTTPS client would do later, where it would fail mid-step.
    try:
        ssl.create_default_context().load_verify_locations(cafile=path)
    except (ssl.SSLError, OSError) as error:
        raise ContractFailure(f"{source}: details.{key} {path!r} holds no readable CA "
                              f"certificate ({error.__class__.__name__})") from None
