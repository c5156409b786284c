from __future__ import annotations

import pytest

from engagement.errors import InvalidInput
from rules import apply_overrides, default_rules, parse_override, points_for


@pytest.mark.parametrize(
    ("tier", "expected"),
    [
        (1, {"like": 1, "retweet": 2, "reply": 3, "quote": 2}),
        (2, {"like": 2, "retweet": 4, "reply": 6, "quote": 4}),
        (3, {"like": 3, "retweet": 6, "reply": 9, "quote": 6}),
    ],
)
def test_default_table(tier: int, expected: dict[str, int]) -> None:
    rules = default_rules()
    assert {kind: points_for(tier, kind, rules) for kind in expected} == expected


def test_override_changes_one_rule_only() -> None:
    key, points = parse_override("2", "reply", "10")
    rules = apply_overrides(default_rules(), {key: points})
    assert points_for(2, "reply", rules) == 10
    assert points_for(3, "reply", rules) == 9
    assert points_for(2, "reply", default_rules()) == 6


@pytest.mark.parametrize(
    ("tier", "kind", "points", "message"),
    [
        (0, "like", 1, "tier must be 1, 2 or 3"),
        (4, "like", 1, "tier must be 1, 2 or 3"),
        ("-1", "like", 1, "tier must be 1, 2 or 3"),
        (True, "like", 1, "tier must be 1, 2 or 3"),
        (1, "bookmark", 1, "engagement type must be one of"),
        (1, "like", -1, "points must be a whole number from 0 to 1000"),
        (1, "like", 1001, "points must be a whole number from 0 to 1000"),
        (1, "like", "1.5", "points must be a whole number"),
        (1, "like", "\u0663", "points must be a whole number"),
    ],
)
def test_bad_override_refused(tier: object, kind: object, points: object, message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        parse_override(tier, kind, points)


def test_scoring_refuses_unknown_tier_or_type() -> None:
    with pytest.raises(InvalidInput):
        points_for(5, "like", default_rules())
    with pytest.raises(InvalidInput):
        points_for(1, "follow", default_rules())
