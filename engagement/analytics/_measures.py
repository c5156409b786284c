"""Per-post measures from a post's snapshots (definitions in the README's Analytics section)."""

from __future__ import annotations

from dataclasses import dataclass

from engagement.analytics._records import ENGAGEMENT_TYPES, Counters, PostRecord, Snapshot

WEIGHTS = {"likes": 1, "reposts": 2, "replies": 3, "quotes": 2}
MIN_HOURS = 1 / 60  # a post read in its first minute: velocity over one minute, not a division by zero


@dataclass(frozen=True)
class PostMeasures:
    tweet_id: str
    engagements: int
    impressions: int | None
    engagement_rate: float
    """(likes + reposts + replies + quotes, + shares on Threads) / impressions (views on Threads) x 100; 0 when
    impressions are 0 or unknown."""
    rate_known: bool
    weighted_score: int
    reply_to_like: float | None
    """Replies per like; None when the post has no likes."""
    distribution: dict[str, float]
    velocity: float
    """Engagements per hour since publishing, at the newest snapshot."""
    velocity_trend: float | None
    """Engagements per hour between the last two snapshots minus between the two before; None with fewer than 3."""


def engagement_rate(counters: Counters) -> tuple[float, bool]:
    if not counters.impressions:
        return 0.0, False
    return round(counters.engagements / counters.impressions * 100, 4), True


def distribution(counters: Counters) -> dict[str, float]:
    """Each type's share of likes + reposts + replies + quotes (Threads' shares are not a type of the mix)."""
    total = sum(getattr(counters, kind) for kind in ENGAGEMENT_TYPES)
    return {kind: round(getattr(counters, kind) / total, 4) if total else 0.0 for kind in ENGAGEMENT_TYPES}


def weighted_score(counters: Counters) -> int:
    return sum(getattr(counters, kind) * weight for kind, weight in WEIGHTS.items())


def _rate_between(older: Snapshot, newer: Snapshot) -> float:
    hours = max(newer.hours - older.hours, MIN_HOURS)
    return (newer.counters.engagements - older.counters.engagements) / hours


def _trend(snapshots: tuple[Snapshot, ...]) -> float | None:
    if len(snapshots) < 3:
        return None
    a, b, c = snapshots[-3:]
    return round(_rate_between(b, c) - _rate_between(a, b), 4)


def post_measures(post: PostRecord) -> PostMeasures:
    latest = post.latest
    rate, known = engagement_rate(latest)
    hours = max(post.snapshots[-1].hours, MIN_HOURS) if post.snapshots else MIN_HOURS
    return PostMeasures(
        tweet_id=post.tweet_id,
        engagements=latest.engagements,
        impressions=latest.impressions,
        engagement_rate=rate,
        rate_known=known,
        weighted_score=weighted_score(latest),
        reply_to_like=round(latest.replies / latest.likes, 4) if latest.likes else None,
        distribution=distribution(latest),
        velocity=round(latest.engagements / hours, 4) if post.snapshots else 0.0,
        velocity_trend=_trend(post.snapshots),
    )
