"""``scripts/lab teardown``: against a fake pulumi executable first on PATH (no Pulumi CLI here).

The fake records its argv and working directory, prints a destroy summary, and fails for the
stacks named in FAKE_PULUMI_FAIL the way Pulumi does: an "error:" line and exit 255.
"""

import io
import json
import sys

import pytest

from registry_lab.lab import cli, exit_codes
from registry_lab.lab.teardown import PROJECT_DIR

FAKE_PULUMI = """#!{python}
import json, os, sys

with open(os.environ["FAKE_PULUMI_LOG"], "a") as log:
    log.write(json.dumps({{"argv": sys.argv[1:], "cwd": os.getcwd()}}) + "\\n")

stack = sys.argv[sys.argv.index("--stack") + 1]
print("Destroying (" + stack + "):")
if stack in os.environ.get("FAKE_PULUMI_FAIL", "").split(","):
    print("error: the stack " + stack + " is locked by another update", file=sys.stderr)
    sys.exit(255)
print("Resources:")
print("    - 3 deleted")
"""


class Terminal(io.StringIO):
    """Stdin as a person at a terminal: it answers with what it was given."""

    def isatty(self):
        return True


@pytest.fixture
def pulumi_log(tmp_path, monkeypatch):
    """Puts the fake pulumi first on PATH; returns a function reading the calls it got."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    fake = bin_dir / "pulumi"
    fake.write_text(FAKE_PULUMI.format(python=sys.executable))
    fake.chmod(0o755)
    log = tmp_path / "pulumi-calls.jsonl"
    monkeypatch.setenv("PATH", f"{bin_dir}:/usr/bin:/bin")
    monkeypatch.setenv("FAKE_PULUMI_LOG", str(log))
    monkeypatch.delenv("FAKE_PULUMI_FAIL", raising=False)

    def calls():
        if not log.exists():
            return []
        return [json.loads(line) for line in log.read_text().splitlines()]

    return calls


def destroy_argv(stack):
    return ["destroy", "--stack", stack, "--yes", "--non-interactive"]


def test_yes_destroys_each_named_stack_in_order_without_asking(pulumi_log, capsys):
    code = cli.main(["teardown", "--stack", "aws", "--stack", "gcp", "--yes"])

    assert code == 0
    assert [call["argv"] for call in pulumi_log()] == [destroy_argv("aws"), destroy_argv("gcp")]
    assert {call["cwd"] for call in pulumi_log()} == {str(PROJECT_DIR)}
    assert capsys.readouterr().out.splitlines() == [
        "STACK  RESULT",
        "aws    destroyed (3 resources deleted)",
        "gcp    destroyed (3 resources deleted)",
    ]


def test_a_stack_named_twice_is_destroyed_once(pulumi_log):
    cli.main(["teardown", "--stack", "aws", "--stack", "aws", "--yes"])

    assert [call["argv"] for call in pulumi_log()] == [destroy_argv("aws")]


def test_a_failed_stack_is_reported_and_the_others_still_destroyed(
    pulumi_log, capsys, monkeypatch
):
    monkeypatch.setenv("FAKE_PULUMI_FAIL", "aws")

    code = cli.main(["teardown", "--stack", "aws", "--stack", "gcp", "--yes", "--json"])

    assert code == exit_codes.DESTROY_FAILED
    assert json.loads(capsys.readouterr().out) == {"stacks": [
        {"stack": "aws", "destroyed": False, "resourcesDeleted": None,
         "error": "pulumi destroy exited 255: error: the stack aws is locked by another update"},
        {"stack": "gcp", "destroyed": True, "resourcesDeleted": 3, "error": None},
    ]}
    assert len(pulumi_log()) == 2


def test_pulumi_output_is_progress_on_stderr_never_the_result(pulumi_log, capsys):
    cli.main(["teardown", "--stack", "aws", "--yes", "--json"])

    captured = capsys.readouterr()
    assert "Destroying (aws):" in captured.err
    assert "Destroying" not in captured.out


def test_without_a_terminal_and_without_yes_nothing_is_destroyed(
    pulumi_log, capsys, monkeypatch
):
    monkeypatch.setattr(sys, "stdin", io.StringIO("yes\n"))

    code = cli.main(["teardown", "--stack", "aws"])

    assert code == exit_codes.NOT_CONFIRMED
    assert pulumi_log() == []
    assert capsys.readouterr().err == (
        "error: refusing to destroy stacks aws unconfirmed: stdin is not a terminal "
        "(pass --yes to confirm)\n"
    )


def test_typing_yes_at_the_terminal_confirms(pulumi_log, capsys, monkeypatch):
    monkeypatch.setattr(sys, "stdin", Terminal("yes\n"))

    code = cli.main(["teardown", "--stack", "aws", "--stack", "gcp"])

    assert code == 0
    assert len(pulumi_log()) == 2
    assert "Destroy every resource of stacks aws, gcp? Type yes to go on:" in (
        capsys.readouterr().err
    )


@pytest.mark.parametrize("answer", ["y\n", "no\n", "\n", ""])
def test_any_other_answer_destroys_nothing(pulumi_log, capsys, monkeypatch, answer):
    monkeypatch.setattr(sys, "stdin", Terminal(answer))

    code = cli.main(["teardown", "--stack", "aws"])

    assert code == exit_codes.NOT_CONFIRMED
    assert pulumi_log() == []
    assert capsys.readouterr().err.endswith("error: nothing destroyed: not confirmed\n")


def test_a_missing_pulumi_cli_is_a_clear_error(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))

    code = cli.main(["teardown", "--stack", "aws", "--yes"])

    assert code == exit_codes.CONTRACT
    assert capsys.readouterr().err.startswith(
        "error: the pulumi CLI is not on PATH: install it (https://www.pulumi.com/docs/"
    )


@pytest.mark.parametrize("stack", ["aws;rm", "a b", "org/project/stack/extra", ".hidden"])
def test_a_bad_stack_name_is_refused_before_pulumi_runs(pulumi_log, capsys, stack):
    code = cli.main(["teardown", "--stack", "aws", "--stack", stack, "--yes"])

    assert code == exit_codes.USAGE
    assert pulumi_log() == []
    assert capsys.readouterr().err == (
        f"error: --stack={stack!r}: must be a Pulumi stack name such as aws or "
        "my-org/registry-lab/aws\n"
    )


def test_a_fully_qualified_stack_name_is_passed_through(pulumi_log):
    cli.main(["teardown", "--stack", "my-org/registry-lab/aws", "--yes"])

    assert pulumi_log()[0]["argv"] == destroy_argv("my-org/registry-lab/aws")
