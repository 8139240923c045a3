"""The lifecycle-rule builder and the checker that holds it to what ECR accepts."""

import copy

import pytest

from registry_lab.aws.lifecycle import LifecycleSettings, lifecycle_policy, policy_problems

DEFAULT = LifecycleSettings(untagged_image_days=14, tagged_images_to_keep=30)


def test_untagged_rule_counts_days_since_push():
    untagged = lifecycle_policy(DEFAULT)["rules"][0]

    assert untagged["selection"] == {
        "tagStatus": "untagged", "countType": "sinceImagePushed",
        "countUnit": "days", "countNumber": 14,
    }


def test_tagged_rule_counts_images_and_carries_no_count_unit():
    tagged = lifecycle_policy(DEFAULT)["rules"][1]

    assert tagged["selection"]["countType"] == "imageCountMoreThan"
    assert "countUnit" not in tagged["selection"]


def test_tagged_rule_without_prefixes_matches_every_tag_by_pattern():
    tagged = lifecycle_policy(DEFAULT)["rules"][1]["selection"]

    assert tagged["tagPatternList"] == ["*"]
    assert "tagPrefixList" not in tagged


def test_tagged_rule_with_prefixes_lists_them_and_no_pattern():
    settings = LifecycleSettings(7, 10, tagged_image_prefixes=("v", "release-"))
    tagged = lifecycle_policy(settings)["rules"][1]

    assert tagged["selection"]["tagPrefixList"] == ["v", "release-"]
    assert "tagPatternList" not in tagged["selection"]
    assert tagged["description"] == "Keep the newest 10 images tagged v*, release-*"


def test_built_policies_have_no_problems():
    for settings in (DEFAULT, LifecycleSettings(1, 1, ("v",))):
        assert policy_problems(lifecycle_policy(settings)) == []


def broken(change):
    document = copy.deepcopy(lifecycle_policy(DEFAULT))
    change(document["rules"])
    return policy_problems(document)


def test_checker_refuses_a_prefix_list_on_an_untagged_rule():
    def add_prefix(rules):
        rules[0]["selection"]["tagPrefixList"] = ["v"]

    assert broken(add_prefix) == ["rule 1: tagPrefixList only go with tagStatus tagged"]


def test_checker_refuses_a_prefix_list_that_is_a_string():
    def string_prefix(rules):
        del rules[1]["selection"]["tagPatternList"]
        rules[1]["selection"]["tagPrefixList"] = "v"

    assert broken(string_prefix) == [
        "rule 2: tagPrefixList must be a non-empty list of non-empty strings"
    ]


def test_checker_refuses_a_count_unit_on_an_image_count_rule():
    def add_unit(rules):
        rules[1]["selection"]["countUnit"] = "days"

    assert broken(add_unit) == ["rule 2: countUnit only goes with countType sinceImagePushed"]


def test_checker_refuses_a_null_key():
    def null_unit(rules):
        rules[0]["selection"]["countUnit"] = None

    assert "rule 1: selection.countUnit is null" in broken(null_unit)


def test_checker_refuses_a_tagged_rule_without_prefix_or_pattern():
    def drop_pattern(rules):
        del rules[1]["selection"]["tagPatternList"]

    assert broken(drop_pattern) == [
        "rule 2: tagStatus tagged needs exactly one of tagPrefixList, tagPatternList"
    ]


@pytest.mark.parametrize("number", [0, -1, 1.5, True])
def test_checker_refuses_a_count_that_is_not_a_positive_whole_number(number):
    def set_count(rules):
        rules[0]["selection"]["countNumber"] = number

    assert broken(set_count) == ["rule 1: countNumber must be a whole number of at least 1"]


def test_checker_refuses_repeated_priorities():
    def repeat_priority(rules):
        rules[1]["rulePriority"] = 1

    assert broken(repeat_priority) == ["rule priorities must be unique, got [1, 1]"]


def test_checker_refuses_an_any_rule_that_is_not_last():
    def any_first(rules):
        rules[0]["selection"] = {
            "tagStatus": "any", "countType": "imageCountMoreThan", "countNumber": 5,
        }

    assert broken(any_first) == ["a tagStatus any rule must have the highest rulePriority"]


def test_checker_refuses_an_empty_policy():
    assert policy_problems({"rules": []}) == ["rules must be a non-empty list"]
