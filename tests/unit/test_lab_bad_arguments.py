"""Arguments that name nothing, the wrong kind of file, or no program: one line, a known code."""

import json

import pytest

from registry_lab.lab import cli, exit_codes
from tests.unit.lab_doubles import local_contract


def plain_contract(port, **passwords):
    """A local contract without CA files, which the load would check exist."""
    return dict(local_contract(port, **passwords), details={})


@pytest.fixture(autouse=True)
def no_docker_hub(monkeypatch):
    for name in ("DOCKERHUB_NAMESPACE", "DOCKERHUB_TOKEN", "DOCKERHUB_USERNAME"):
        monkeypatch.delenv(name, raising=False)


def one_error_line(capsys):
    """The one "error:" line on stderr (progress lines may come before it)."""
    error = capsys.readouterr().err
    assert "Traceback" not in error
    lines = [line for line in error.splitlines() if line.startswith("error: ")]
    assert len(lines) == 1, error
    return lines[0]


def test_an_empty_contracts_argument_is_a_contract_error(capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)

    code = cli.main(["compare", "--contracts", ""])

    assert code == exit_codes.CONTRACT
    assert one_error_line(capsys) == "error: contracts file '.' is a folder, not a JSON file"


def test_a_folder_as_contracts_file_is_a_contract_error(capsys, tmp_path):
    code = cli.main(["compare", "--contracts", str(tmp_path)])

    assert code == exit_codes.CONTRACT
    assert one_error_line(capsys).endswith("is a folder, not a JSON file")


def test_a_contracts_file_that_fails_to_read_is_a_contract_error(capsys):
    # Opening this file works; reading its first bytes fails with an I/O error.
    code = cli.main(["compare", "--contracts", "/proc/self/mem"])

    assert code == exit_codes.CONTRACT
    assert one_error_line(capsys).startswith("error: contracts file '/proc/self/mem' cannot be "
                                             "read: ")


@pytest.mark.parametrize("name", ["huge.json", "/dev/zero"])
def test_a_contracts_file_over_a_mebibyte_is_refused_without_reading_it_all(capsys, tmp_path,
                                                                           name):
    path = tmp_path / name
    if name == "huge.json":
        path.write_text(json.dumps({"a": plain_contract(5001), "pad": "x" * (1024 * 1024)}))

    code = cli.main(["compare", "--contracts", str(path)])

    assert code == exit_codes.CONTRACT
    assert one_error_line(capsys).endswith("is over 1048576 bytes; a contracts file is a few "
                                           "kilobytes")


def test_deeply_nested_json_is_a_contract_error(capsys, tmp_path):
    path = tmp_path / "deep.json"
    path.write_text("[" * 200000 + "]" * 200000)

    code = cli.main(["compare", "--contracts", str(path)])

    assert code == exit_codes.CONTRACT
    assert one_error_line(capsys).endswith("is not JSON the lab reads: it nests too deeply")


@pytest.fixture
def contracts_file(tmp_path):
    path = tmp_path / "contracts.json"
    path.write_text(json.dumps({"a": plain_contract(5001)}))
    return path


@pytest.mark.parametrize("program", ["/etc/passwd", "folder", "not-executable"])
def test_a_cli_that_cannot_be_run_is_the_container_cli_code(capsys, tmp_path, contracts_file,
                                                           program):
    (tmp_path / "folder").mkdir()
    (tmp_path / "not-executable").write_text("#!/bin/sh\nexit 0\n")
    path = program if program.startswith("/") else str(tmp_path / program)

    code = cli.main(["login", "--contracts", str(contracts_file), "--cli", path])

    assert code == exit_codes.CONTAINER_CLI
    assert f"container CLI {path!r} cannot be run (Permission denied)" in one_error_line(capsys)


@pytest.mark.parametrize("arguments", [["--stack", ""], ["--cli", ""]])
def test_an_empty_stack_or_cli_is_a_bad_argument(capsys, contracts_file, arguments):
    with pytest.raises(SystemExit) as stop:
        cli.main(["check-read-only", "--contracts", str(contracts_file), *arguments])

    assert stop.value.code == exit_codes.USAGE
    assert f"argument {arguments[0]}: must not be empty" in capsys.readouterr().err
