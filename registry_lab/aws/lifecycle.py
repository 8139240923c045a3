"""ECR lifecycle rules, built from typed settings in the exact form ECR accepts.

ECR rejects a policy whose rules carry keys that do not apply: ``tagPrefixList`` and
``tagPatternList`` only with ``tagStatus: tagged`` (and then one of them is required),
``countUnit`` only with ``countType: sinceImagePushed``, and no key set to null. The builder
never writes such a key, and ``policy_problems`` checks a finished document against the same
rules, so the policy is known to be acceptable before ``pulumi up`` sends it.
"""

import json
from dataclasses import dataclass
from typing import Optional, Tuple

TAG_STATUSES = ("tagged", "untagged", "any")
COUNT_TYPES = ("imageCountMoreThan", "sinceImagePushed")
SELECTION_KEYS = {
    "tagStatus", "tagPrefixList", "tagPatternList", "countType", "countUnit", "countNumber",
}
RULE_KEYS = {"rulePriority", "description", "selection", "action"}


@dataclass(frozen=True)
class LifecycleSettings:
    """How long untagged images live, and how many tagged images stay."""

    untagged_image_days: int
    tagged_images_to_keep: int
    # Empty: the count applies to every tagged image; otherwise only to tags with a prefix.
    tagged_image_prefixes: Tuple[str, ...] = ()


@dataclass(frozen=True)
class LifecycleRule:
    """One expiry rule; optional parts stay None or empty and are left out of the JSON."""

    priority: int
    description: str
    tag_status: str
    count_type: str
    count_number: int
    count_unit: Optional[str] = None
    tag_prefixes: Tuple[str, ...] = ()
    tag_patterns: Tuple[str, ...] = ()

    def as_document(self) -> dict:
        selection = {"tagStatus": self.tag_status}
        if self.tag_prefixes:
            selection["tagPrefixList"] = list(self.tag_prefixes)
        if self.tag_patterns:
            selection["tagPatternList"] = list(self.tag_patterns)
        selection["countType"] = self.count_type
        if self.count_unit is not None:
            selection["countUnit"] = self.count_unit
        selection["countNumber"] = self.count_number

        return {
            "rulePriority": self.priority,
            "description": self.description,
            "selection": selection,
            "action": {"type": "expire"},
        }


def lifecycle_rules(settings: LifecycleSettings) -> list:
    """The lab's rules: expire untagged images by age, then keep the newest tagged ones."""
    untagged = LifecycleRule(
        priority=1,
        description=f"Expire untagged images {settings.untagged_image_days} days after push",
        tag_status="untagged",
        count_type="sinceImagePushed",
        count_unit="days",
        count_number=settings.untagged_image_days,
    )

    # ECR needs a prefix or a pattern list on a tagged rule; "*" is how it says "every tag".
    prefixes = tuple(settings.tagged_image_prefixes)
    kept = "tagged images" if not prefixes else "images tagged " + ", ".join(
        f"{prefix}*" for prefix in prefixes
    )
    tagged = LifecycleRule(
        priority=2,
        description=f"Keep the newest {settings.tagged_images_to_keep} {kept}",
        tag_status="tagged",
        count_type="imageCountMoreThan",
        count_number=settings.tagged_images_to_keep,
        tag_prefixes=prefixes,
        tag_patterns=() if prefixes else ("*",),
    )
    return [untagged, tagged]


def lifecycle_policy(settings: LifecycleSettings) -> dict:
    """The lifecycle policy document for ``aws.ecr.LifecyclePolicy``."""
    return {"rules": [rule.as_document() for rule in lifecycle_rules(settings)]}


def lifecycle_policy_text(settings: LifecycleSettings) -> str:
    """The policy as the component sends it, whose length ECR limits."""
    return json.dumps(lifecycle_policy(settings), indent=2, sort_keys=True)


def policy_problems(document: dict) -> list:
    """Every reason ECR would reject ``document``, as sentences; empty when it is valid."""
    rules = document.get("rules")
    if not isinstance(rules, list) or not rules:
        return ["rules must be a non-empty list"]

    problems = []
    priorities = [rule.get("rulePriority") for rule in rules]
    if len(set(priorities)) != len(priorities):
        problems.append(f"rule priorities must be unique, got {priorities}")
    for rule in rules:
        problems.extend(_rule_problems(rule))

    any_rules = [rule for rule in rules if rule["selection"].get("tagStatus") == "any"]
    if any_rules and any_rules[0]["rulePriority"] != max(priorities):
        problems.append("a tagStatus any rule must have the highest rulePriority")
    return problems


def _rule_problems(rule: dict) -> list:
    name = f"rule {rule.get('rulePriority')}"
    problems = [f"{name}: {key} is null" for key in _null_keys(rule)]

    if set(rule) - RULE_KEYS:
        problems.append(f"{name}: unknown keys {sorted(set(rule) - RULE_KEYS)}")
    priority = rule.get("rulePriority")
    if not isinstance(priority, int) or priority < 1:
        problems.append(f"{name}: rulePriority must be a positive whole number")
    if rule.get("action") != {"type": "expire"}:
        problems.append(f"{name}: action must be {{'type': 'expire'}}")

    selection = rule.get("selection")
    if not isinstance(selection, dict):
        return problems + [f"{name}: selection must be an object"]
    return problems + [f"{name}: {problem}" for problem in _selection_problems(selection)]


def _selection_problems(selection: dict) -> list:
    problems = []
    if set(selection) - SELECTION_KEYS:
        problems.append(f"unknown selection keys {sorted(set(selection) - SELECTION_KEYS)}")

    status = selection.get("tagStatus")
    if status not in TAG_STATUSES:
        problems.append(f"tagStatus must be one of {', '.join(TAG_STATUSES)}")
    tag_lists = [key for key in ("tagPrefixList", "tagPatternList") if key in selection]
    if tag_lists and status != "tagged":
        problems.append(f"{', '.join(tag_lists)} only go with tagStatus tagged")
    if status == "tagged" and len(tag_lists) != 1:
        problems.append("tagStatus tagged needs exactly one of tagPrefixList, tagPatternList")
    for key in tag_lists:
        values = selection[key]
        if not isinstance(values, list) or not values or not all(
            isinstance(value, str) and value for value in values
        ):
            problems.append(f"{key} must be a non-empty list of non-empty strings")

    count_type = selection.get("countType")
    if count_type not in COUNT_TYPES:
        problems.append(f"countType must be one of {', '.join(COUNT_TYPES)}")
    if count_type == "sinceImagePushed" and selection.get("countUnit") != "days":
        problems.append("countType sinceImagePushed needs countUnit days")
    if count_type != "sinceImagePushed" and "countUnit" in selection:
        problems.append("countUnit only goes with countType sinceImagePushed")
    number = selection.get("countNumber")
    if not isinstance(number, int) or isinstance(number, bool) or number < 1:
        problems.append("countNumber must be a whole number of at least 1")
    return problems


def _null_keys(value, path: str = "") -> list:
    if isinstance(value, dict):
        found = []
        for key, item in value.items():
            found.extend(_null_keys(item, f"{path}.{key}" if path else key))
        return found
    if isinstance(value, list):
        return [key for item in value for key in _null_keys(item, path)]
    return [path] if value is None else []
