"""Performance score 0-100 of each post, scaled against the community's own 90th percentile.

engagement (max 40) = 40 x min(1, engagements / p90(engagements))
reach      (max 30) = 30 x min(1, (impressions / followers) / p90(impressions / followers)), 0 when either is unknown
quality    (max 30) = 30 x min(1, q / p90(q)) with q = (replies + reposts) / max(likes, 1)
p90 is the nearest-rank 90th percentile over the posts given; a p90 of 0 gives that component 0. Scaling by the
community's own posts makes a score mean the same in a small and a big community: 100 is "as good as its best tenth".
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from engagement.analytics._records import PostRecord

ENGAGEMENT_MAX, REACH_MAX, QUALITY_MAX = 40.0, 30.0, 30.0


@dataclass(frozen=True)
class PerformanceScore:
    total: float
    engagement: float
    reach: float
    quality: float


def p90(values: Sequence[float]) -> float:
    """Nearest-rank 90th percentile (0 for no values)."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[max(math.ceil(0.9 * len(ordered)), 1) - 1]


def _reach(post: PostRecord) -> float | None:
    impressions, followers = post.latest.impressions, post.author_followers
    return impressions / followers if impressions is not None and followers else None


def _quality(post: PostRecord) -> float:
    latest = post.latest
    return (latest.replies + latest.reposts) / max(latest.likes, 1)


def _scaled(value: float | None, top: float, cap: float) -> float:
    return cap * min(1.0, value / top) if value is not None and top > 0 else 0.0


def performance_scores(posts: Sequence[PostRecord]) -> dict[str, PerformanceScore]:
    """Each post scored against the posts of its own platform (X impressions and Threads views differ)."""
    scores: dict[str, PerformanceScore] = {}
    for platform in sorted({post.platform for post in posts}):
        scores |= _scores([post for post in posts if post.platform == platform])
    return scores


def _scores(posts: Sequence[PostRecord]) -> dict[str, PerformanceScore]:
    top_engagement = p90([post.latest.engagements for post in posts])
    top_reach = p90([reach for post in posts if (reach := _reach(post)) is not None])
    top_quality = p90([_quality(post) for post in posts])
    scores = {}
    for post in posts:
        engagement = _scaled(post.latest.engagements, top_engagement, ENGAGEMENT_MAX)
        reach = _scaled(_reach(post), top_reach, REACH_MAX)
        quality = _scaled(_quality(post), top_quality, QUALITY_MAX)
        parts = [round(part, 1) for part in (engagement, reach, quality)]
        scores[post.tweet_id] = PerformanceScore(round(sum(parts), 1), *parts)
    return scores
