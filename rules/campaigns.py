"""Campaign multipliers: which running campaigns a post is in, and what they make of an award's points."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

MAX_MULTIPLIER = Decimal(10)  # several campaigns multiply, but never past this
MATCHES = ("category", "hashtag", "posts")
_HASHTAG = re.compile(r"#([0-9A-Za-z_]{1,100})")


@dataclass(frozen=True)
class Campaign:
    id: str
    name: str
    start: float
    end: float
    multiplier: Decimal
    match: str
    """`category`, `hashtag` or `posts` (picked by an admin)."""
    value: str
    posts: frozenset[str] = frozenset()


def hashtags(text: str) -> set[str]:
    return {tag.casefold() for tag in _HASHTAG.findall(text)}


def in_campaign(campaign: Campaign, tweet_id: str, category: str, text: str, at: float) -> bool:
    """Whether an engagement paid at `at` on this post counts for `campaign`."""
    if not campaign.start <= at < campaign.end:
        return False
    if campaign.match == "category":
        return category == campaign.value
    if campaign.match == "hashtag":
        return campaign.value.casefold().lstrip("#") in hashtags(text)
    return tweet_id in campaign.posts


def combined(multipliers: Iterable[Decimal]) -> Decimal:
    """The campaigns' multipliers multiply (each once), capped at MAX_MULTIPLIER."""
    total = Decimal(1)
    for multiplier in multipliers:
        total *= multiplier
    return min(total, MAX_MULTIPLIER)


def multiplied(points: int, campaigns: Sequence[Campaign]) -> tuple[int, str]:
    """(points after the campaigns' combined multiplier, rounded half up; the multiplier as text, "" for none)."""
    if not campaigns:
        return points, ""
    factor = combined(campaign.multiplier for campaign in campaigns)
    return int((Decimal(points) * factor).quantize(Decimal(1), rounding=ROUND_HALF_UP)), f"{factor.normalize():f}"
