"""Fixtures shared by the unit and the integration tests."""

import pytest

from tests.unit.fake_cli import FakeCli


@pytest.fixture
def fake(tmp_path, monkeypatch):
    """A recording container CLI, made the lab's CLI through REGISTRY_LAB_CLI."""
    folder = tmp_path / "cli"
    folder.mkdir()
    fake = FakeCli(folder)
    monkeypatch.setenv("REGISTRY_LAB_CLI", str(fake.path))
    return fake
