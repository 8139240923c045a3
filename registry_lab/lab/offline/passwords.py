"""The lab's two identities per registry: random passwords and the htpasswd file nginx reads."""

import secrets
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from registry_lab.lab.offline.errors import OfflineLabError
from registry_lab.lab.offline.files import write_private

PUSHER = "lab-pusher"
PULLER = "lab-puller"


@dataclass(frozen=True)
class Account:
    username: str
    password: str = field(repr=False)

    def as_credentials(self) -> dict:
        return {"username": self.username, "password": self.password}


def new_account(username: str) -> Account:
    return Account(username, secrets.token_urlsafe(24))


def password_hash(openssl: str, password: str) -> str:
    """An Apache MD5 (apr1) hash, which nginx checks itself; the password goes in on stdin."""
    result = subprocess.run([openssl, "passwd", "-apr1", "-stdin"], input=password + "\n",
                            capture_output=True, text=True, check=False)
    if result.returncode != 0 or not result.stdout.startswith("$apr1$"):
        raise OfflineLabError(f"openssl passwd -apr1 failed: {result.stderr.strip()}")
    return result.stdout.strip()


def write_htpasswd(path: Path, openssl: str, accounts: Iterable[Account]) -> Path:
    lines = [f"{account.username}:{password_hash(openssl, account.password)}\n"
             for account in accounts]
    return write_private(path, "".join(lines))
