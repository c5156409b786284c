"""Analytics per platform: Threads posts (views as impressions, shares counted) scored against Threads posts only,
a report section per platform computed from that platform's posts, and the combined figures as before."""

from __future__ import annotations

from dataclasses import replace
from zoneinfo import ZoneInfo

from engagement.analytics import (
    Counters,
    PostRecord,
    decode,
    encode,
    performance_scores,
    post_measures,
    report_text,
    threads_counters,
    weekly_report,
)
from engagement.threads import ThreadsCounters
from tests.engagement.analytics.posts import at, post

WEEK = "2026-W48"
NOW = at("2026-11-30 09:00")
UTC_ZONE = ZoneInfo("UTC")


def threads_post(published: str, **counters: int) -> PostRecord:
    """A Threads post: its ref and author are Threads', its views the impressions."""
    shares = counters.pop("shares", 0)
    record = post(published, **counters)  # type: ignore[arg-type]
    latest = replace(record.snapshots[-1], counters=replace(record.latest, shares=shares))
    media_id = record.tweet_id
    return replace(
        record,
        tweet_id=f"threads:{media_id}",
        url=f"https://www.threads.net/@alice.t/post/C{media_id[-8:]}",
        author_x_id="7001",
        author_handle="alice.t",
        platform="threads",
        snapshots=(latest,),
    )


def test_old_entries_still_decode_and_shares_round_trip() -> None:
    old = decode("m5983333|1795000000,4,1,2,0,3,900", 1794990000)
    assert old is not None
    assert (old.counters.likes, old.counters.impressions, old.counters.shares) == (4, 900, 0)
    counters = Counters(likes=5, replies=2, impressions=None, shares=7)
    _, entry = encode(1795000000, counters, 1794990000)
    back = decode(entry, 1794990000)
    assert back is not None
    assert back.counters == counters
    _, x_entry = encode(1795000000, Counters(likes=5, impressions=10), 1794990000)
    assert x_entry.count(",") == 6  # an X post's entry is as it always was


def test_threads_insights_become_counters_with_views_as_impressions() -> None:
    counters = threads_counters(ThreadsCounters(views=800, likes=9, replies=3, reposts=2, quotes=1, shares=4))
    assert counters == Counters(likes=9, reposts=2, replies=3, quotes=1, impressions=800, shares=4)
    assert counters.engagements == 19  # shares are an engagement on Threads
    missing = threads_counters(ThreadsCounters(likes=9, missing=("views",)))
    assert missing.impressions is None
    assert not post_measures(replace_latest(threads_post("2026-11-24 10:00"), missing)).rate_known


def replace_latest(record: PostRecord, counters: Counters) -> PostRecord:
    return replace(record, snapshots=(replace(record.snapshots[-1], counters=counters),))


def test_a_threads_post_is_scored_against_threads_posts_only() -> None:
    x_posts = [post("2026-11-24 10:00", likes=500, impressions=10_000) for _ in range(5)]
    small = threads_post("2026-11-24 11:00", likes=10, impressions=100)
    alone = performance_scores([small])
    together = performance_scores([*x_posts, small])
    assert together[small.tweet_id] == alone[small.tweet_id]  # the big X posts do not scale it down
    assert together[small.tweet_id].engagement == 40.0  # the top of its own platform


def test_the_report_has_a_section_per_platform_from_its_own_posts() -> None:
    x_posts = [
        post("2026-11-24 10:00", likes=20, impressions=1000),
        post("2026-11-25 10:00", replies=5, impressions=500),
    ]
    t_posts = [threads_post("2026-11-24 12:00", likes=8, replies=2, impressions=400, shares=3)]
    report = weekly_report(WEEK, UTC_ZONE, [*x_posts, *t_posts], [], NOW)
    sections = report["platforms"]
    assert set(sections) == {"x", "threads"}
    assert (sections["x"]["summary"]["posts"], sections["x"]["summary"]["engagements"]) == (2, 25)
    threads = sections["threads"]["summary"]
    assert (threads["posts"], threads["engagements"], threads["impressions"]) == (1, 13, 400)
    assert report["summary"]["posts"] == 3  # the combined figures cover both
    assert report["summary"]["engagements"] == 38
    assert [top["tweet_id"] for top in sections["threads"]["top_posts"]] == [t_posts[0].tweet_id]
    text = report_text(report)
    assert "Threads: 1 post, 13 engagements, 400 views" in text
    assert "X: 2 posts, 25 engagements, 1,500 impressions" in text
    assert "likes, reposts and shares count here only" in text


def test_a_community_on_x_alone_has_no_platform_sections() -> None:
    report = weekly_report(WEEK, UTC_ZONE, [post("2026-11-24 10:00", likes=20, impressions=1000)], [], NOW)
    assert "platforms" not in report
    assert "Threads" not in report_text(report)
