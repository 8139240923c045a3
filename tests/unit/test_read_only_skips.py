"""A pull-only check that skipped every registry proved nothing and must not exit 0."""

import io
import json

from registry_lab.lab import cli, exit_codes, read_only
from registry_lab.lab.progress import Progress
from registry_lab.lab.report import Report
from tests.unit.fake_cli import FakeCli
from tests.unit.lab_doubles import RecordingCli, denied, local_contract

HUB = dict(local_contract(5009), cloud="dockerhub", pullOnlyIdentity={"method": "none"},
           pullOnlyCredentials=None)


def run_check(cli_double, contracts):
    report = Report()
    read_only.check_all(contracts, cli_double, Progress(io.StringIO()), report)
    return report


def test_a_check_that_skipped_every_registry_exits_with_nothing_checked():
    report = run_check(RecordingCli(), {"hub": HUB})

    assert report.exit_code == exit_codes.NOTHING_CHECKED
    assert report.failures == ["no pull-only identity was checked: every registry was skipped "
                               "(hub)"]
    assert exit_codes.MEANINGS[report.exit_code] != exit_codes.MEANINGS[exit_codes.OK]


def test_one_registry_checked_beside_a_skipped_one_still_passes():
    a = local_contract(5001)
    cli_double = RecordingCli(fail={("push", a["imageRef"]): denied(a["imageRef"])})

    report = run_check(cli_double, {"a": a, "hub": HUB})

    assert report.exit_code == exit_codes.OK
    assert report.rows["a"].read_only == read_only.PASSED
    assert report.rows["hub"].read_only == read_only.SKIPPED


def test_check_read_only_on_docker_hub_alone_does_not_say_every_step_passed(tmp_path, capsys,
                                                                             monkeypatch):
    monkeypatch.setenv("DOCKERHUB_NAMESPACE", "lab")
    monkeypatch.setenv("DOCKERHUB_TOKEN", "a-token-made-at-run-time")
    fake = FakeCli(tmp_path)

    code = cli.main(["check-read-only", "--cli", str(fake.path), "--json"])

    document = json.loads(capsys.readouterr().out)
    assert code == exit_codes.NOTHING_CHECKED == 15
    assert document["exitCode"] == 15
    assert document["meaning"] != "every step passed"
    assert fake.commands() == []
