"""Artifact Registry cleanup policies, built from settings as plain data.

Two policies: delete versions that lost their tag once they are old enough, and keep the most
recent versions whatever else matches. A KEEP policy wins over a DELETE policy, so the newest
images survive even when they are untagged.
"""

SECONDS_PER_DAY = 24 * 60 * 60

DELETE_UNTAGGED_ID = "delete-untagged"
KEEP_RECENT_ID = "keep-recent-versions"


def duration(days: int) -> str:
    """A duration as the API stores it, whole seconds with an ``s``.

    Written any other way ("30d", "720h") the API still accepts it but reads it back in
    seconds, and every later preview would show a change that is not one.
    """
    return f"{days * SECONDS_PER_DAY}s"


def cleanup_policies(untagged_older_than_days: int, keep_recent_versions: int) -> list:
    """The repository's cleanup policies, as ``cleanup_policies`` input dictionaries."""
    delete_untagged = {
        "id": DELETE_UNTAGGED_ID,
        "action": "DELETE",
        "condition": {
            "tag_state": "UNTAGGED",
            "older_than": duration(untagged_older_than_days),
        },
    }
    keep_recent = {
        "id": KEEP_RECENT_ID,
        "action": "KEEP",
        "most_recent_versions": {"keep_count": keep_recent_versions},
    }
    return [delete_untagged, keep_recent]
