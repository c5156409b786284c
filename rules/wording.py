"""How member-facing text says counts and names engagements. Pure: no I/O."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from engagement.validation import ENGAGEMENT_TYPES, TIERS
from rules.scoring import TIER_NAMES, RuleTable

# One name per engagement in text; `retweet` stays the key (the API's and the store's).
ENGAGEMENT_NAMES: Mapping[str, str] = MappingProxyType(
    {"like": "like", "retweet": "repost", "reply": "reply", "quote": "quote"}
)
_IRREGULAR: Mapping[str, str] = MappingProxyType({"reply": "replies", "batch": "batches"})


def plural_form(word: str) -> str:
    return _IRREGULAR.get(word, word + "s")


def noun(count: int, word: str) -> str:
    """`word` as it follows `count`: `point` after 1 (or -1), `points` otherwise."""
    return word if abs(count) == 1 else plural_form(word)


def plural(count: int, word: str, *, signed: bool = False) -> str:
    """`1 award`, `2 awards`, `0 replies`; `signed` gives `+1 point`, `-3 points`."""
    number = f"{count:+,}" if signed else f"{count:,}"
    return f"{number} {noun(count, word)}"


def engagement_name(kind: str) -> str:
    """The word members read for an engagement type key (`retweet` is a repost)."""
    return ENGAGEMENT_NAMES.get(kind, kind)


def tier_heading() -> str:
    """`Basic · Active · Power`: the tiers in the order `points_by_tier` lists them."""
    return " · ".join(TIER_NAMES[tier] for tier in TIERS)


def points_by_tier(rules: RuleTable, kind: str) -> str:
    """`2 · 4 · 6 points`: what one engagement of `kind` earns in each tier, lowest tier first."""
    values = [rules[(tier, kind)] for tier in TIERS]
    unit = "point" if all(value == 1 for value in values) else "points"
    return f"{' · '.join(str(value) for value in values)} {unit}"


def earnings_lines(rules: RuleTable, kinds: tuple[str, ...] = ENGAGEMENT_TYPES) -> list[str]:
    """`Repost: 2 · 4 · 6 points`, one line per engagement type (capitalised name first)."""
    return [f"{engagement_name(kind).capitalize()}: {points_by_tier(rules, kind)}" for kind in kinds]
