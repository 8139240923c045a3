"""The push and pull-only steps, with a recording CLI standing in for docker or podman."""

import io
import json

import pytest

from registry_lab.lab import exit_codes, failures, push, read_only
from registry_lab.lab.progress import Progress
from registry_lab.lab.report import Report, as_json, table, verdict_text
from tests.unit.lab_doubles import RecordingCli, denied, local_contract

A = local_contract(5001)
B = local_contract(5002)
REF_A, REF_B = A["imageRef"], B["imageRef"]


def run_push(cli, contracts):
    report, stream = Report(), io.StringIO()
    push.push_all(contracts, cli, Progress(stream), report)
    return report, stream.getvalue()


def run_check(cli, contracts):
    report, stream = Report(), io.StringIO()
    read_only.check_all(contracts, cli, Progress(stream), report)
    return report, stream.getvalue()


def test_each_push_follows_its_own_fresh_login():
    cli = RecordingCli()

    report, progress = run_push(cli, {"a": A, "b": B})

    assert cli.calls == [
        ("tag", REF_A), ("login", "pusher@127.0.0.1:5001"), ("push", REF_A),
        ("tag", REF_B), ("login", "pusher@127.0.0.1:5002"), ("push", REF_B),
    ]
    assert report.exit_code == exit_codes.OK
    assert progress.splitlines() == [f"[push] a: pushed {REF_A}", f"[push] b: pushed {REF_B}"]


def test_a_401_right_after_a_fresh_login_is_reported_as_an_expired_or_broken_token():
    cli = RecordingCli(fail={("push", REF_A): failures.Unauthorized(f"push {REF_A}: 401")})

    report, _ = run_push(cli, {"a": A, "b": B})

    assert report.rows["a"].failed_step == "push"
    assert "refused with 401 right after a fresh login" in report.rows["a"].reason
    assert "token expired or the login is broken" in report.rows["a"].reason
    assert report.exit_code == exit_codes.UNAUTHORIZED
    # The other registry is still pushed, so nothing is left half-done and unreported.
    assert ("push", REF_B) in cli.calls


def test_an_unreachable_registry_fails_its_row_with_the_unreachable_code():
    cli = RecordingCli(fail={("push", REF_B): failures.Unreachable(f"push {REF_B}: down")})

    report, progress = run_push(cli, {"a": A, "b": B})

    assert report.exit_code == exit_codes.UNREACHABLE
    assert report.failures == [f"b: push {REF_B}: down"]
    # The progress line says that it failed; the failure's line says why, once.
    assert progress.splitlines()[-1] == "[push] b: failed"


def test_a_failed_push_gives_no_verdict_and_says_push_failed_in_the_table():
    cli = RecordingCli(fail={("push", REF_A): failures.Denied(f"push {REF_A}: denied (403)")})

    report, _ = run_push(cli, {"a": A, "b": B})

    row = report.rows["a"]
    assert (row.verdict, row.failed_step) == (None, "push")
    assert verdict_text(row) == "- (push failed)"
    assert verdict_text(report.rows["b"]) == "-"
    assert "- (push failed)" in table(report).splitlines()[1]
    assert json.loads(as_json(report))["registries"][0]["failedStep"] == "push"


def test_the_check_passes_when_the_pull_works_and_the_push_is_denied():
    cli = RecordingCli(fail={("push", REF_A): denied(REF_A)})

    report, progress = run_check(cli, {"a": A})

    assert cli.calls == [("login", "puller@127.0.0.1:5001"), ("pull", REF_A), ("push", REF_A),
                         ("logout", "127.0.0.1:5001")]
    assert report.rows["a"].read_only == read_only.PASSED
    assert report.exit_code == exit_codes.OK
    assert progress == f"[check-read-only] a: {read_only.PASSED}\n"


def test_an_accepted_push_fails_the_check():
    report, _ = run_check(RecordingCli(), {"a": A})

    assert report.rows["a"].read_only == "failed"
    assert report.exit_code == exit_codes.READ_ONLY_FAILED
    assert report.failures == [f"a: pull-only check failed: the push of {REF_A} was accepted: "
                               "the identity can write"]


def test_a_401_on_push_fails_the_check_instead_of_passing_it():
    cli = RecordingCli(fail={("push", REF_A): failures.Unauthorized("push: 401")})

    report, _ = run_check(cli, {"a": A})

    assert report.exit_code == exit_codes.READ_ONLY_FAILED
    assert "the push got 401, not 403" in report.failures[0]


def test_a_refused_pull_only_login_fails_the_check_and_skips_pull_and_push():
    cli = RecordingCli(fail={("login", "puller@127.0.0.1:5001"):
                             failures.Unauthorized("login to 127.0.0.1:5001: 401")})

    report, _ = run_check(cli, {"a": A})

    assert report.exit_code == exit_codes.READ_ONLY_FAILED
    assert "could not log in" in report.failures[0]
    assert [call[0] for call in cli.calls] == ["login"]


def test_a_missing_pull_only_login_fails_the_check():
    contract = dict(A, pullOnlyCredentials=None)

    report, _ = run_check(RecordingCli(), {"a": contract})

    assert report.exit_code == exit_codes.READ_ONLY_FAILED
    assert "basic login needs credentials" in report.failures[0]


def test_a_network_error_on_pull_fails_the_check():
    cli = RecordingCli(fail={("pull", REF_A): failures.Unreachable("pull: refused")})

    report, _ = run_check(cli, {"a": A})

    assert report.exit_code == exit_codes.READ_ONLY_FAILED
    assert "the pull did not succeed: pull: refused" in report.failures[0]
    assert ("push", REF_A) not in cli.calls


def test_a_contract_without_a_pull_only_identity_is_skipped_not_passed():
    contract = dict(A, pullOnlyIdentity={"method": "none"}, pullOnlyCredentials=None,
                    details={"pullOnlySkipReason": "no pull-only identity on this registry"})
    cli = RecordingCli()

    report, progress = run_check(cli, {"hub": contract})

    assert report.rows["hub"].read_only == read_only.SKIPPED
    assert report.rows["hub"].read_only != read_only.PASSED
    assert cli.calls == []
    assert progress == ("[check-read-only] hub: skipped: no pull-only identity on this "
                        "registry\n")


def test_a_rate_limited_push_is_tried_again_after_a_fresh_login_and_backoff():
    cli = RecordingCli(fail={("push", REF_A): [failures.RateLimited("push: 429"),
                                               failures.ServerError("push: 503")]})
    sleeps = []

    push.push_one(A, cli, "demo:v1", sleep=sleeps.append)

    assert sleeps == [2.0, 4.0]
    assert [call[0] for call in cli.calls] == ["tag", "login", "push", "login", "push",
                                              "login", "push"]


def test_pushes_that_keep_failing_with_5xx_stop_after_three_attempts():
    cli = RecordingCli(fail={("push", REF_A): [failures.ServerError("push: 503")] * 5})

    with pytest.raises(failures.ServerError) as failure:
        push.push_one(A, cli, "demo:v1", sleep=lambda seconds: None)

    assert str(failure.value) == "push: 503 (after 3 attempts)"
    assert [call[0] for call in cli.calls].count("push") == 3


def docr_contract():
    contract = local_contract(443)
    host = "registry.digitalocean.com"
    contract.update(cloud="digitalocean", registryHost=host,
                    repositoryUrl=f"{host}/lab/demo", imageRef=f"{host}/lab/demo:v1",
                    details={"registryName": "lab", "tier": "starter",
                             "pullOnlyCredentialsExpireAt": "2000-01-01T00:00:00+00:00"})
    return contract


def test_a_docr_repository_limit_is_not_taken_for_the_pull_only_denial():
    contract = docr_contract()
    contract["details"].pop("pullOnlyCredentialsExpireAt")
    reference = contract["imageRef"]
    cli = RecordingCli(fail={("push", reference): failures.Denied(
        f"push {reference}: denied (403) (denied: registry contains 1 repositories, "
        "limit is 1)")})

    report, _ = run_check(cli, {"do": contract})

    assert report.rows["do"].read_only == "failed"
    assert "refused for the registry's limits, not for the identity's rights" in (
        report.failures[0])


def test_expired_docr_pull_only_credentials_fail_the_check_as_expired():
    contract = docr_contract()
    reference = contract["imageRef"]
    cli = RecordingCli(fail={("push", reference): failures.Denied(
        f"push {reference}: denied (403) (denied: access denied)")})

    report, _ = run_check(cli, {"do": contract})

    assert report.exit_code == exit_codes.READ_ONLY_FAILED
    assert "the credentials expired, which proves nothing" in report.failures[0]
    assert "expired at 2000-01-01 00:00:00 UTC" in report.failures[0]


def test_a_docr_push_over_the_repository_limit_exits_with_the_limit_code():
    contract = docr_contract()
    reference = contract["imageRef"]
    cli = RecordingCli(fail={("push", reference): failures.Denied(
        f"push {reference}: denied (403) (denied: registry contains 1 repositories, "
        "limit is 1)")})

    report, _ = run_push(cli, {"do": contract})

    assert report.exit_code == exit_codes.REGISTRY_LIMIT
    assert "limit" in report.failures[0]
