"""Build the demo image, ``demo:v1``, from the repository's demo/ folder."""

from pathlib import Path

from registry_lab.contract import DEMO_IMAGE, DEMO_TAG
from registry_lab.lab.container_cli import ContainerCli

CONTEXT = Path(__file__).resolve().parents[2] / "demo"
LOCAL_REFERENCE = f"{DEMO_IMAGE}:{DEMO_TAG}"


def build(cli: ContainerCli, context: Path = CONTEXT) -> str:
    """Build demo:v1 with fixed timestamps; returns its image ID."""
    cli.build(context, LOCAL_REFERENCE)
    return cli.image_id(LOCAL_REFERENCE)
