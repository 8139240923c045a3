"""The AWS stack's repository, lifecycle policy and component tree, from the real program."""

import json

from tests.unit.aws_mocks import (
    ACCESS_KEY, COMPONENT, LIFECYCLE_POLICY, POLICY, REPOSITORY, ROLE, ROLE_ATTACHMENT,
    USER, USER_ATTACHMENT, run_aws,
)

KMS_KEY = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"


def test_repository_has_the_lab_defaults_from_the_example_stack():
    repository = run_aws().one(REPOSITORY).inputs

    assert repository["name"] == "registry-lab/demo"
    assert repository["imageTagMutability"] == "MUTABLE"
    assert repository["imageScanningConfiguration"] == {"scanOnPush": True}
    assert repository["encryptionConfigurations"] == [{"encryptionType": "AES256"}]
    assert repository["forceDelete"] is True


def test_repository_is_tagged_as_lab_infrastructure_of_its_stack():
    tags = run_aws().one(REPOSITORY).inputs["tags"]

    assert tags == {
        "Project": "registry-lab", "Stack": "aws", "Purpose": "lab", "ManagedBy": "pulumi",
    }


def test_repository_options_follow_the_settings():
    repository = run_aws(overrides={
        "registry-lab:repositoryName": "team/lab-app",
        "registry-lab:imageTagMutability": "IMMUTABLE",
        "registry-lab:scanOnPush": "false",
        "registry-lab:forceDelete": "false",
    }).one(REPOSITORY).inputs

    assert repository["name"] == "team/lab-app"
    assert repository["imageTagMutability"] == "IMMUTABLE"
    assert repository["imageScanningConfiguration"] == {"scanOnPush": False}
    assert repository["forceDelete"] is False


def test_kms_encryption_uses_the_configured_key():
    repository = run_aws(overrides={
        "registry-lab:encryption": "KMS", "registry-lab:kmsKeyArn": KMS_KEY,
    }).one(REPOSITORY).inputs

    assert repository["encryptionConfigurations"] == [
        {"encryptionType": "KMS", "kmsKey": KMS_KEY}
    ]


def test_lifecycle_policy_applies_to_the_repository_with_the_default_rules():
    lifecycle = run_aws().one(LIFECYCLE_POLICY).inputs

    assert lifecycle["repository"] == "registry-lab/demo"
    assert json.loads(lifecycle["policy"]) == {"rules": [
        {
            "rulePriority": 1,
            "description": "Expire untagged images 14 days after push",
            "selection": {
                "tagStatus": "untagged",
                "countType": "sinceImagePushed",
                "countUnit": "days",
                "countNumber": 14,
            },
            "action": {"type": "expire"},
        },
        {
            "rulePriority": 2,
            "description": "Keep the newest 30 tagged images",
            "selection": {
                "tagStatus": "tagged",
                "tagPatternList": ["*"],
                "countType": "imageCountMoreThan",
                "countNumber": 30,
            },
            "action": {"type": "expire"},
        },
    ]}


def test_lifecycle_numbers_and_prefixes_come_from_the_settings():
    lifecycle = run_aws(overrides={
        "registry-lab:untaggedImageDays": 3,
        "registry-lab:taggedImagesToKeep": 5,
        "registry-lab:taggedImagePrefixes": ["v", "release-"],
    }).one(LIFECYCLE_POLICY).inputs

    untagged, tagged = json.loads(lifecycle["policy"])["rules"]
    assert untagged["selection"]["countNumber"] == 3
    assert tagged["selection"] == {
        "tagStatus": "tagged",
        "tagPrefixList": ["v", "release-"],
        "countType": "imageCountMoreThan",
        "countNumber": 5,
    }


def test_every_child_is_parented_to_the_registry_component():
    run = run_aws(overrides={"registry-lab:pullOnlyUser": "true"})
    component = run.component()

    assert component.type == COMPONENT
    assert component.urn.endswith("registry-lab:aws:Registry::lab")
    children = [resource for resource in run.resources if resource.custom]
    assert sorted(child.type for child in children) == sorted([
        REPOSITORY, LIFECYCLE_POLICY, POLICY, ROLE, ROLE_ATTACHMENT,
        USER, USER_ATTACHMENT, ACCESS_KEY,
    ])
    for child in children:
        assert child.parent == component.urn, f"{child.type} {child.name} is not a child"
        assert child.name.startswith("lab-"), f"{child.name} does not carry the component name"


def test_without_the_pull_only_user_no_user_or_key_exists():
    run = run_aws()

    assert run.of_type(USER) == []
    assert run.of_type(USER_ATTACHMENT) == []
    assert run.of_type(ACCESS_KEY) == []
