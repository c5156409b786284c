"""Community type, summaries over a period, best posting times and week-over-week trends."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from engagement.analytics._measures import PostMeasures, post_measures
from engagement.analytics._records import ENGAGEMENT_TYPES, PostRecord

COMMUNITY_TYPES = ("conversational", "sharing-focused", "passive", "balanced")
# The first rule that matches, in this order: (type, engagement type, share it must exceed).
TYPE_RULES = (("conversational", "replies", 0.30), ("sharing-focused", "reposts", 0.20), ("passive", "likes", 0.70))
BEST_TIMES_DAYS, MIN_SLOT_POSTS, BEST_TIMES_TOP = 90, 2, 10


@dataclass(frozen=True)
class CommunityMix:
    type: str
    shares: dict[str, float]
    counts: dict[str, int]
    engagements: int
    empty: bool
    """No engagement at all in the posts given (the type then says `balanced`)."""


@dataclass(frozen=True)
class CategoryFigures:
    posts: int
    engagements: int
    impressions: int
    average_rate: float


@dataclass(frozen=True)
class Summary:
    start: float
    end: float
    posts: int
    impressions: int
    engagements: int
    average_rate: float
    """Mean engagement rate over the posts whose rate is known (0 when none is)."""
    best: PostMeasures | None
    worst: PostMeasures | None
    by_category: dict[str, CategoryFigures]


@dataclass(frozen=True)
class TimeSlot:
    weekday: int
    """0 = Monday."""
    hour: int
    posts: int
    average_rate: float


def community_type(posts: Sequence[PostRecord]) -> CommunityMix:
    totals = {kind: sum(getattr(post.latest, kind) for post in posts) for kind in ENGAGEMENT_TYPES}
    engagements = sum(totals.values())
    shares = {kind: round(count / engagements, 4) if engagements else 0.0 for kind, count in totals.items()}
    found = next((name for name, kind, above in TYPE_RULES if shares[kind] > above), "balanced")
    return CommunityMix(found, shares, totals, engagements, engagements == 0)


def _average_rate(measures: Sequence[PostMeasures]) -> float:
    rates = [m.engagement_rate for m in measures if m.rate_known]
    return round(sum(rates) / len(rates), 4) if rates else 0.0


def _rank_key(m: PostMeasures) -> tuple[float, int, int]:
    return (m.engagement_rate, m.engagements, -int(m.tweet_id) if m.tweet_id.isdigit() else 0)


def summarize(posts: Sequence[PostRecord], start: float, end: float) -> Summary:
    """The posts published in [start, end)."""
    chosen = [post for post in posts if start <= post.published_at < end]
    measures = [post_measures(post) for post in chosen]
    groups: dict[str, list[tuple[PostRecord, PostMeasures]]] = defaultdict(list)
    for post, m in zip(chosen, measures, strict=True):
        groups[post.category or "uncategorised"].append((post, m))
    by_category = {
        name: CategoryFigures(
            len(pairs), sum(m.engagements for _, m in pairs), sum(m.impressions or 0 for _, m in pairs),
            _average_rate([m for _, m in pairs]),
        )
        for name, pairs in sorted(groups.items())
    }  # fmt: skip
    ranked = sorted(measures, key=_rank_key, reverse=True)
    return Summary(
        start=start,
        end=end,
        posts=len(chosen),
        impressions=sum(m.impressions or 0 for m in measures),
        engagements=sum(m.engagements for m in measures),
        average_rate=_average_rate(measures),
        best=ranked[0] if ranked else None,
        worst=ranked[-1] if ranked else None,
        by_category=by_category,
    )


def time_grid(
    posts: Sequence[PostRecord], now: float, zone: ZoneInfo | None = None, days: int = BEST_TIMES_DAYS
) -> dict[tuple[int, int], TimeSlot]:
    """Every (weekday, hour) slot, in `zone` (UTC when None), with a post published in the last `days` days."""
    slots: dict[tuple[int, int], list[PostMeasures]] = defaultdict(list)
    for post in posts:
        if now - days * 86400 <= post.published_at <= now:
            moment = datetime.fromtimestamp(post.published_at, zone or UTC)
            slots[(moment.weekday(), moment.hour)].append(post_measures(post))
    return {key: TimeSlot(*key, len(found), _average_rate(found)) for key, found in sorted(slots.items())}


def best_times(
    posts: Sequence[PostRecord], now: float, zone: ZoneInfo | None = None, days: int = BEST_TIMES_DAYS,
    top: int = BEST_TIMES_TOP,
) -> list[TimeSlot]:  # fmt: skip
    """Slots with at least MIN_SLOT_POSTS posts, by average rate (ties: more posts, then the earlier slot)."""
    slots = [slot for slot in time_grid(posts, now, zone, days).values() if slot.posts >= MIN_SLOT_POSTS]
    return sorted(slots, key=lambda s: (-s.average_rate, -s.posts, s.weekday, s.hour))[:top]
