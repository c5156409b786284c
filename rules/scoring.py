"""Engagement type + tier + rule table -> points. Pure: no I/O."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from engagement.errors import InvalidInput
from engagement.validation import ENGAGEMENT_TYPES, TIERS, engagement_type, tier

MAX_POINTS = 1000

RuleTable = Mapping[tuple[int, str], int]

# Tier 1 Basic, 2 Active, 3 Power; a quote scores as a retweet by default.
_DEFAULTS: dict[int, dict[str, int]] = {
    1: {"like": 1, "retweet": 2, "reply": 3, "quote": 2},
    2: {"like": 2, "retweet": 4, "reply": 6, "quote": 4},
    3: {"like": 3, "retweet": 6, "reply": 9, "quote": 6},
}

TIER_NAMES: Mapping[int, str] = MappingProxyType({1: "Basic", 2: "Active", 3: "Power"})


def default_rules() -> RuleTable:
    return MappingProxyType({(t, kind): _DEFAULTS[t][kind] for t in TIERS for kind in ENGAGEMENT_TYPES})


def check_points(value: object) -> int:
    """Points for one rule: a whole number from 0 to MAX_POINTS."""
    text = str(value).strip() if isinstance(value, (int, str)) and not isinstance(value, bool) else ""
    if not (text.isascii() and text.isdigit()) or int(text) > MAX_POINTS:
        raise InvalidInput(f"points must be a whole number from 0 to {MAX_POINTS}, got {str(value)[:20]!r}")
    return int(text)


def parse_override(tier_value: object, type_value: object, points: object) -> tuple[tuple[int, str], int]:
    """Validate one override; raises `InvalidInput` on any bad part."""
    return (tier(tier_value), engagement_type(type_value)), check_points(points)


def apply_overrides(base: RuleTable, overrides: Mapping[tuple[int, str], int]) -> RuleTable:
    merged = dict(base)
    for key, value in overrides.items():
        if key not in merged:
            raise KeyError(key)
        merged[key] = value
    return MappingProxyType(merged)


def points_for(tier_value: int, kind: str, rules: RuleTable) -> int:
    """Points a member of `tier_value` earns for one engagement of `kind`."""
    return rules[(tier(tier_value), engagement_type(kind))]
