"""The pull-only identity's IAM documents: its permissions and who may assume it.

The permissions are kept as a readable document in ``policies/aws-ecr-pull-only.json`` so a
reader of the repository sees exactly what the identity may and may not do; the program only
fills in the repository ARN where the document says ``${repositoryArn}``.
"""

import json
from pathlib import Path
from typing import Sequence

PULL_ONLY_POLICY_FILE = Path(__file__).resolve().parents[2] / "policies" / "aws-ecr-pull-only.json"
REPOSITORY_ARN_PLACEHOLDER = "${repositoryArn}"


def pull_only_policy(repository_arn: str) -> dict:
    """The pull-only policy with the repository ARN filled in."""
    document = json.loads(PULL_ONLY_POLICY_FILE.read_text())
    filled = _fill(document, repository_arn)
    if filled == document:
        raise ValueError(f"{PULL_ONLY_POLICY_FILE} names no {REPOSITORY_ARN_PLACEHOLDER}")
    return filled


def trust_policy(principals: Sequence[str]) -> dict:
    """Who may assume the pull-only role: exactly ``principals``, with sts:AssumeRole."""
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "AssumeToPull",
                "Effect": "Allow",
                "Principal": {"AWS": sorted(principals)},
                "Action": "sts:AssumeRole",
            }
        ],
    }


def account_root(partition: str, account_id: str) -> str:
    """The principal that stands for a whole account: any identity its IAM policies allow."""
    return f"arn:{partition}:iam::{account_id}:root"


def _fill(value, repository_arn: str):
    if isinstance(value, dict):
        return {key: _fill(item, repository_arn) for key, item in value.items()}
    if isinstance(value, list):
        return [_fill(item, repository_arn) for item in value]
    if value == REPOSITORY_ARN_PLACEHOLDER:
        return repository_arn
    return value
