"""The weekly report on crafted communities: figures, trends, top posts and each recommendation rule."""

from __future__ import annotations

import json
from zoneinfo import ZoneInfo

import pytest

from engagement.analytics import report_text, week_bounds, weekly_report
from engagement.errors import InvalidInput
from tests.engagement.analytics.posts import at, post, rated

UTC_ZONE = ZoneInfo("UTC")
WEEK = "2026-W48"  # Monday 23 to Sunday 29 November 2026
NOW = at("2026-11-30 09:00")


def last_week_posts(count: int = 8) -> list:  # type: ignore[type-arg]
    return [rated(f"2026-11-16 10:{minute:02d}", 2.0) for minute in range(count)]  # all on Monday 10h, rate 2 %


def test_week_bounds_in_utc_and_in_a_zone() -> None:
    assert week_bounds(WEEK, UTC_ZONE) == (at("2026-11-23 00:00"), at("2026-11-30 00:00"))
    start, _ = week_bounds(WEEK, ZoneInfo("Europe/Berlin"))
    assert start == at("2026-11-22 23:00")  # Monday 00:00 in Berlin (UTC+1)


@pytest.mark.parametrize("bad", ["2026-48", "2026-W54", "W48", "", "2026-W48; DROP"])
def test_a_week_that_is_not_an_iso_week_is_refused_clearly(bad: str) -> None:
    with pytest.raises(InvalidInput, match="The week must be an ISO week such as 2026-W48"):
        week_bounds(bad, UTC_ZONE)


def test_the_report_of_a_crafted_week_with_every_recommendation_that_applies() -> None:
    tuesday = [rated("2026-11-24 15:00", 4.2, category="meme"), rated("2026-11-24 15:30", 4.2, category="meme")]
    others = [rated("2026-11-25 09:00", 2.0), rated("2026-11-26 18:00", 2.0)]
    report = weekly_report(WEEK, UTC_ZONE, [*last_week_posts(), *tuesday, *others], [("7", 30), ("8", 12)], NOW)
    assert report["summary"]["posts"] == 4
    assert report["previous"]["posts"] == 8
    assert report["summary"]["average_rate"] == 3.1  # (4.2 + 4.2 + 2 + 2) / 4
    posts_trend = next(item for item in report["trends"] if item["figure"] == "posts")
    assert (posts_trend["change"], posts_trend["percent"], posts_trend["direction"]) == (-4, -50.0, "down")
    assert [item["tweet_id"] for item in report["top_posts"][:2]] == [tuesday[0].tweet_id, tuesday[1].tweet_id]
    assert report["community_type"]["type"] == "passive"  # likes only
    assert report["best_times"][0] == {"weekday": 1, "hour": 15, "posts": 2, "average_rate": 4.2}
    assert report["top_engagers"] == [{"discord_id": "7", "points": 30}, {"discord_id": "8", "points": 12}]
    assert report["recommendations"] == [
        "Replies weigh 3x a like in the engagement score but are only 0% of engagement: ask questions in posts.",
        "Reposts are only 0% of engagement: ask members to repost what they like.",
        "Tuesday 15:00 UTC posts get 2.1x the median engagement rate (2 posts): post then.",
        "4 fewer posts than last week (-50 %): remind members to /submit.",
    ]
    assert json.loads(json.dumps(report)) == report  # the JSON form is the report


def test_a_strong_category_and_a_falling_rate_are_recommended_on() -> None:
    last = [rated(f"2026-11-17 1{n}:00", 6.0) for n in range(4)]
    art = [rated(f"2026-11-2{n} 12:00", 4.0, category="art", reposts=3, replies=9) for n in (4, 5, 6)]
    rest = [rated(f"2026-11-2{n} 08:00", 1.0, reposts=1, replies=2) for n in (4, 5, 6)]
    report = weekly_report(WEEK, UTC_ZONE, [*last, *art, *rest], [], NOW)
    advice = report["recommendations"]
    assert "'art' posts had 1.6x the average engagement rate this week: post more of them." in advice
    assert "The average engagement rate fell 46 % from last week." in advice  # 6 % -> (5.2 x 3 + 1.3 x 3) / 6 = 3.25 %
    assert not any("fewer posts" in line for line in advice)  # 6 posts, up from 4


def test_an_empty_week_in_an_active_community() -> None:
    report = weekly_report(WEEK, UTC_ZONE, last_week_posts(), [], NOW)
    assert report["summary"]["posts"] == 0
    assert report["top_posts"] == []
    assert report["recommendations"] == ["No posts were submitted this week: remind members to /submit their posts."]
    text = report_text(report)
    assert "▼ Posts: 0 (last week 8, -8, -100.0 %)" in text
    assert "Top posts (by performance score, 0-100):\n(none)" in text


def test_a_community_of_one_member_with_one_post() -> None:
    only = post("2026-11-24 15:00", likes=3, replies=1, impressions=400, followers=50, submitter="7")
    report = weekly_report(WEEK, UTC_ZONE, [only], [("7", 0)], NOW)
    assert report["summary"]["best"]["tweet_id"] == report["summary"]["worst"]["tweet_id"] == only.tweet_id
    assert report["top_posts"][0]["score"] == 100.0  # alone, it is its own 90th percentile on every component
    assert report["best_times"] == []  # one post is no slot
    assert "(not enough posts yet)" in report_text(report)


def test_the_text_names_the_week_and_members_as_the_caller_shows_them() -> None:
    report = weekly_report(WEEK, UTC_ZONE, [rated("2026-11-24 15:00", 4.0)], [("7", 30)], NOW)
    text = report_text(report, name=lambda member: f"<@{member}>")
    assert text.startswith("Weekly report 2026-W48 (Mon 23 Nov 2026 to Sun 29 Nov 2026, UTC)")
    assert "1. <@7>: 30 points" in text
    assert "rate 4.00 %" in text
