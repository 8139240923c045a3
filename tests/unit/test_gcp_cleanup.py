"""Cleanup policies as plain data: durations in the seconds the API reads back."""

from registry_lab.gcp.cleanup import cleanup_policies, duration


def test_duration_is_whole_seconds_with_an_s():
    assert duration(1) == "86400s"
    assert duration(90) == "7776000s"


def test_untagged_versions_are_deleted_after_the_given_days():
    delete, _ = cleanup_policies(7, 5)

    assert delete == {
        "id": "delete-untagged",
        "action": "DELETE",
        "condition": {"tag_state": "UNTAGGED", "older_than": "604800s"},
    }


def test_the_newest_versions_are_kept():
    _, keep = cleanup_policies(7, 5)

    assert keep == {"id": "keep-recent-versions", "action": "KEEP",
                    "most_recent_versions": {"keep_count": 5}}
