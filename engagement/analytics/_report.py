"""The weekly report: a community's week in figures, as a plain dict (the JSON form every reader shares)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from engagement.analytics._advice import AdviceInputs, recommendations
from engagement.analytics._community import BEST_TIMES_DAYS, best_times, community_type, summarize, time_grid
from engagement.analytics._measures import post_measures
from engagement.analytics._records import PostRecord
from engagement.analytics._score import performance_scores
from engagement.analytics._trends import trends
from engagement.errors import InvalidInput
from engagement.platforms import PLATFORMS, X

REPORT_VERSION = 1
TOP_POSTS = 5
TOP_ENGAGERS = 5
_WEEK = re.compile(r"([0-9]{4})-W([0-9]{2})")
Report = dict[str, Any]


@dataclass(frozen=True)
class TopPost:
    tweet_id: str
    url: str
    author_handle: str
    submitter_id: str
    category: str
    engagements: int
    impressions: int | None
    engagement_rate: float
    weighted_score: int
    score: float


def week_bounds(week: str, zone: ZoneInfo) -> tuple[float, float]:
    """[start, end) of an ISO week (`2026-W48`), Monday 00:00 to Monday 00:00 in `zone`, as epoch seconds."""
    match = _WEEK.fullmatch(week.strip())
    try:
        if match is None:
            raise ValueError(week)
        monday = datetime.fromisocalendar(int(match[1]), int(match[2]), 1).replace(tzinfo=zone)
    except ValueError:
        raise InvalidInput(f"The week must be an ISO week such as 2026-W48, got {week[:20]!r}.") from None
    return monday.timestamp(), (monday + timedelta(days=7)).timestamp()


def week_of(moment: float, zone: ZoneInfo) -> str:
    year, week, _ = datetime.fromtimestamp(moment, zone).isocalendar()
    return f"{year}-W{week:02d}"


def previous_week(week: str, zone: ZoneInfo) -> str:
    start, _ = week_bounds(week, zone)
    return week_of(start - 3 * 86_400, zone)


def _top_posts(posts: Sequence[PostRecord], scored_against: Sequence[PostRecord]) -> list[TopPost]:
    scores = performance_scores(scored_against)
    ranked = sorted(posts, key=lambda post: (-scores[post.tweet_id].total, post.published_at))[:TOP_POSTS]
    top = []
    for post in ranked:
        m = post_measures(post)
        top.append(
            TopPost(
                post.tweet_id, post.url, post.author_handle, post.submitter_id, post.category, m.engagements,
                m.impressions, m.engagement_rate, m.weighted_score, scores[post.tweet_id].total,
            )
        )  # fmt: skip
    return top


def weekly_report(
    week: str, zone: ZoneInfo, posts: Sequence[PostRecord], engagers: Sequence[tuple[str, int]], generated_at: float
) -> Report:
    """The report of `week` from the posts published in the 90 days before its end (which hold this week and the
    one before) and the week's top engagers (member id, points)."""
    start, end = week_bounds(week, zone)
    before_start, _ = week_bounds(previous_week(week, zone), zone)
    recent = [post for post in posts if end - BEST_TIMES_DAYS * 86_400 <= post.published_at < end]
    this_week = [post for post in recent if start <= post.published_at < end]
    summary, previous = summarize(recent, start, end), summarize(recent, before_start, start)
    mix, found_trends = community_type(this_week), trends(summary, previous)
    slots = best_times(recent, end - 1, zone)
    rates = [m.engagement_rate for m in map(post_measures, recent) if m.rate_known]
    advice = recommendations(AdviceInputs(summary, mix, found_trends, slots, rates, zone.key))
    report: Report = {
        "version": REPORT_VERSION,
        "week": week,
        "zone": zone.key,
        "start": start,
        "end": end,
        "generated_at": round(generated_at, 3),
        "summary": asdict(summary),
        "previous": asdict(previous),
        "trends": [asdict(item) for item in found_trends],
        "top_posts": [asdict(post) for post in _top_posts(this_week, recent)],
        "community_type": asdict(mix),
        "best_times": [asdict(slot) for slot in slots],
        "time_grid": [asdict(slot) for slot in time_grid(recent, end - 1, zone).values()],
        "top_engagers": [{"discord_id": member, "points": points} for member, points in engagers[:TOP_ENGAGERS]],
        "recommendations": advice,
    }
    if any(post.platform != X for post in recent):  # a community on X alone keeps the report it always had
        report["platforms"] = {
            platform: _platform_section([post for post in recent if post.platform == platform], start, end)
            for platform in PLATFORMS
            if any(post.platform == platform for post in recent)
        }
    return report


def _platform_section(recent: Sequence[PostRecord], start: float, end: float) -> dict[str, Any]:
    """One platform's part of the week: its summary, community type and top posts, from its own posts only."""
    this_week = [post for post in recent if start <= post.published_at < end]
    return {
        "summary": asdict(summarize(recent, start, end)),
        "community_type": asdict(community_type(this_week)),
        "top_posts": [asdict(post) for post in _top_posts(this_week, recent)],
    }
