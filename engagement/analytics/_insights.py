"""What `/insights`, the weekly report and the web panel's Analytics page read: figures gathered from the store."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from engagement.analytics._community import (
    BEST_TIMES_DAYS,
    CommunityMix,
    Summary,
    TimeSlot,
    best_times,
    community_type,
    summarize,
    time_grid,
)
from engagement.analytics._loading import load_post, load_posts
from engagement.analytics._measures import PostMeasures, post_measures
from engagement.analytics._records import PostRecord
from engagement.analytics._report import Report, week_bounds, weekly_report
from engagement.analytics._score import PerformanceScore, performance_scores
from engagement.platforms import PLATFORMS, X
from engagement.store import Store

DAY = 86_400
ENGAGING = frozenset({"like", "retweet", "reply", "quote"})


@dataclass(frozen=True)
class MemberInsights:
    summary: Summary
    points_earned: int
    """Points the member earned by engaging in the period (awards standing, adjustments not included)."""
    awards: int
    platforms: dict[str, PlatformFigures] = field(default_factory=dict)
    """Each platform's part of the member's posts; empty when they are all on X."""


@dataclass(frozen=True)
class PostInsights:
    post: PostRecord
    measures: PostMeasures
    score: PerformanceScore
    """Against the community's posts of the last 90 days."""


@dataclass(frozen=True)
class CommunityInsights:
    summary: Summary
    mix: CommunityMix
    best_utc: list[TimeSlot]
    best_local: list[TimeSlot]
    grid: dict[tuple[int, int], TimeSlot]
    """Every slot with a post in the last 90 days, in the community's zone (the heat map)."""
    zone: str
    platforms: dict[str, PlatformFigures] = field(default_factory=dict)
    """Each platform's period, from its own posts; empty for a community on X alone."""


@dataclass(frozen=True)
class PlatformFigures:
    summary: Summary
    mix: CommunityMix


def by_platform(posts: Sequence[PostRecord], start: float, end: float) -> dict[str, PlatformFigures]:
    """Each platform's summary and community type over [start, end), when any post is not on X."""
    if all(post.platform == X for post in posts):
        return {}
    figures = {}
    for platform in PLATFORMS:
        own = [post for post in posts if post.platform == platform]
        chosen = [post for post in own if start <= post.published_at < end]
        if own:
            figures[platform] = PlatformFigures(summarize(own, start, end), community_type(chosen))
    return figures


async def _recent_posts(store: Store, now: float) -> list[PostRecord]:
    return await load_posts(store, now - BEST_TIMES_DAYS * DAY, now + 1)


async def member_insights(store: Store, discord_id: str, start: float, end: float) -> MemberInsights:
    posts = [post for post in await load_posts(store, start, end) if post.submitter_id == discord_id]
    logs = await store.member_logs_between(discord_id, start, end)
    earned = [log for log in logs if log.type in ENGAGING and not log.revoked_at]
    points = sum(log.points for log in earned)
    return MemberInsights(summarize(posts, start, end), points, len(earned), by_platform(posts, start, end))


async def post_insights(store: Store, tweet_id: str, now: float) -> PostInsights | None:
    post = await load_post(store, tweet_id)
    if post is None:
        return None
    others = [other for other in await _recent_posts(store, now) if other.tweet_id != post.tweet_id]
    score = performance_scores([*others, post])[post.tweet_id]
    return PostInsights(post, post_measures(post), score)


async def community_insights(store: Store, now: float, zone: ZoneInfo, days: int = 7) -> CommunityInsights:
    posts = await _recent_posts(store, now)
    summary = summarize(posts, now - days * DAY, now + 1)
    mix = community_type([post for post in posts if post.published_at >= now - days * DAY])
    return CommunityInsights(
        summary, mix, best_times(posts, now), best_times(posts, now, zone), time_grid(posts, now, zone), zone.key,
        by_platform(posts, now - days * DAY, now + 1),
    )  # fmt: skip


async def build_report(store: Store, week: str, zone: ZoneInfo, now: float) -> Report:
    """The report of `week` from the store: posts of the 90 days to its end, and that week's board (UTC weeks)."""
    _, end = week_bounds(week, zone)
    posts = await load_posts(store, end - BEST_TIMES_DAYS * DAY, end)
    engagers: Sequence[tuple[str, int]] = await store.weekly_board_top(week, 5)
    return weekly_report(week, zone, posts, engagers, now)
