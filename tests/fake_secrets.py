"""Fake credentials made at test time, so no file in git holds anything shaped like a real one."""

import secrets
import string

PEM_LABEL = "PRIVATE" + " KEY"


def aws_key_id(prefix: str = "AKIA") -> str:
    """An access key id of AWS's shape (AKIA for users, ASIA for sessions), random each run."""
    alphabet = string.ascii_uppercase + "234567"
    return prefix + "".join(secrets.choice(alphabet) for _ in range(16))


def pem_private_key() -> str:
    """A PEM block with a private key's label and a body that is no key at all."""
    return f"-----BEGIN {PEM_LABEL}-----\nbm90LWEta2V5\n-----END {PEM_LABEL}-----\n"
