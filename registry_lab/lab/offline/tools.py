"""The programs the offline lab runs, and installing the missing ones from Debian's archive.

The servers are Debian's ``docker-registry`` (the CNCF distribution server) behind ``nginx``,
with certificates from ``openssl``; the lab flow drives them with ``podman`` and ``skopeo``.
"""

import os
import shutil
import subprocess
import sys
from typing import Dict, Mapping, Optional

from registry_lab.lab.offline.errors import OfflineLabError
from registry_lab.lab.offline.paths import INSTALL_SCRIPT

# Each program and the Debian package that provides it; scripts/install-lab-tools installs
# the same packages, and a unit test keeps the two lists equal.
TOOL_PACKAGES = {
    "docker-registry": "docker-registry",
    "nginx": "nginx",
    "openssl": "openssl",
    "podman": "podman",
    "skopeo": "skopeo",
}

# nginx lives in /usr/sbin, which a non-root PATH often leaves out.
SYSTEM_DIRS = ("/usr/sbin", "/sbin", "/usr/bin", "/bin")


def find_tools(tools: Mapping[str, str] = TOOL_PACKAGES,
               search_path: Optional[str] = None) -> Dict[str, Optional[str]]:
    """Each tool's full path, or None where it is not installed."""
    path = search_path
    if path is None:
        path = os.pathsep.join([os.environ.get("PATH", ""), *SYSTEM_DIRS])
    return {tool: shutil.which(tool, path=path) for tool in tools}


def install_command(packages) -> str:
    names = " ".join(sorted(packages))
    return f"apt-get update && apt-get install -y {names}"


def ensure_tools(tools: Mapping[str, str] = TOOL_PACKAGES,
                 search_path: Optional[str] = None,
                 is_root: Optional[bool] = None) -> Dict[str, str]:
    """The full path of every tool, installing missing ones when running as root.

    Without root a missing tool is an OfflineLabError naming the command that installs it.
    """
    found = find_tools(tools, search_path)
    missing = sorted(tool for tool, path in found.items() if path is None)
    if not missing:
        return found

    packages = sorted({tools[tool] for tool in missing})
    if is_root is None:
        is_root = os.geteuid() == 0
    if not is_root:
        raise OfflineLabError(
            f"the offline lab needs {', '.join(missing)}; install with: sudo sh -c "
            f"'{install_command(packages)}'")

    _install(packages)

    found = find_tools(tools, search_path)
    still_missing = sorted(tool for tool, path in found.items() if path is None)
    if still_missing:
        raise OfflineLabError(
            f"{', '.join(still_missing)} still missing after {INSTALL_SCRIPT} "
            f"{' '.join(packages)}")
    return found


def _install(packages) -> None:
    print(f"offline lab: installing {', '.join(packages)}", file=sys.stderr)

    # Progress belongs on stderr (file descriptor 2): the lab's stdout carries results only.
    result = subprocess.run([str(INSTALL_SCRIPT), *packages], stdin=subprocess.DEVNULL,
                            stdout=2, stderr=2, check=False)
    if result.returncode != 0:
        raise OfflineLabError(
            f"{INSTALL_SCRIPT} {' '.join(packages)} failed with exit code {result.returncode}")
