"""Where the offline lab keeps its files by default, found from this package's own place."""

from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[3]
DEFAULT_WORKDIR = REPO_ROOT / ".lab" / "offline"
INSTALL_SCRIPT = REPO_ROOT / "scripts" / "install-lab-tools"

STATE_FILE = "lab-state.json"
CONTRACTS_FILE = "contracts.json"
