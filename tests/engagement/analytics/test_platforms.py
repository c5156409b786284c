"""Analytics per platform: Threads posts (views as impressions, shares counted) scored against Threads posts only,
a report section per platform computed from that platform's posts, and the combined figures as before."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from zoneinfo import ZoneInfo

from engagement.analytics import (
    Counters,
    PostRecord,
    append_report,
    decode,
    encode,
    performance_scores,
    post_measures,
    read_archive,
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


def test_the_combined_figures_are_the_whole_of_the_platforms() -> None:
    posts = [
        post("2026-11-24 10:00", likes=20, replies=3, impressions=1000),
        post("2026-11-26 18:00", reposts=4, quotes=1, impressions=800),
        threads_post("2026-11-25 09:00", likes=8, replies=6, impressions=300, shares=2),
        threads_post("2026-11-27 21:00", likes=1, reposts=2, impressions=50),
    ]
    report = weekly_report(WEEK, UTC_ZONE, posts, [], NOW)
    sections, combined = report["platforms"], report["summary"]
    for figure in ("posts", "engagements", "impressions"):
        assert combined[figure] == sum(section["summary"][figure] for section in sections.values()), figure
    assert (sections["x"]["summary"]["engagements"], sections["threads"]["summary"]["engagements"]) == (28, 19)
    assert sections["threads"]["summary"]["average_rate"] == round((16 / 300 * 100 + 3 / 50 * 100) / 2, 4)
    counts = report["community_type"]["counts"]
    for kind, count in counts.items():
        assert count == sum(section["community_type"]["counts"][kind] for section in sections.values()), kind
    assert sections["threads"]["community_type"]["type"] == "conversational"  # 6 of 17 typed engagements are replies
    assert sections["x"]["community_type"]["type"] == "passive"
    assert {top["tweet_id"] for top in sections["x"]["top_posts"]} == {posts[0].tweet_id, posts[1].tweet_id}


def test_threads_posts_only_before_this_week_give_no_threads_text() -> None:
    earlier = threads_post("2026-11-17 10:00", likes=8, impressions=400)  # the week before: in the 90 days
    report = weekly_report(WEEK, UTC_ZONE, [post("2026-11-24 10:00", likes=20, impressions=1000), earlier], [], NOW)
    assert report["platforms"]["threads"]["summary"]["posts"] == 0  # the dict holds the 90 days' platforms
    text = report_text(report)
    assert "Threads" not in text
    assert "\nX: " not in text


def test_a_week_on_threads_alone_has_no_x_line() -> None:
    report = weekly_report(WEEK, UTC_ZONE, [threads_post("2026-11-24 12:00", likes=8, impressions=400)], [], NOW)
    assert set(report["platforms"]) == {"threads"}
    text = report_text(report)
    assert "Threads: 1 post, 8 engagements, 400 views, avg. rate 2.00 %, community type passive" in text
    assert "\nX: " not in text


def test_a_threads_post_without_views_has_an_unknown_rate_in_the_report() -> None:
    blind = replace_latest(threads_post("2026-11-24 12:00"), Counters(likes=9, replies=1, shares=2))
    report = weekly_report(WEEK, UTC_ZONE, [blind], [], NOW)
    [top] = report["platforms"]["threads"]["top_posts"]
    assert (top["impressions"], top["engagement_rate"], top["engagements"]) == (None, 0.0, 12)
    assert report["platforms"]["threads"]["summary"]["average_rate"] == 0.0  # no known rate to average
    assert "(Threads gave no views for these posts, so their engagement rate reads 0.)" in report_text(report)


def test_an_x_week_without_impressions_still_says_x() -> None:
    report = weekly_report(WEEK, UTC_ZONE, [post("2026-11-24 10:00", likes=3)], [], NOW)
    assert "(X gave no impressions for these posts, so their engagement rate reads 0.)" in report_text(report)


def test_a_threads_posts_distribution_is_of_its_typed_engagements() -> None:
    measures = post_measures(threads_post("2026-11-24 12:00", likes=6, replies=2, impressions=100, shares=4))
    assert measures.distribution == {"likes": 0.75, "reposts": 0.0, "replies": 0.25, "quotes": 0.0}
    assert (measures.engagements, measures.engagement_rate) == (12, 12.0)


def test_archived_reports_without_platforms_still_read_and_render(tmp_path: Path) -> None:
    old = weekly_report(WEEK, UTC_ZONE, [post("2026-11-24 10:00", likes=20, impressions=1000)], [], NOW)
    assert "platforms" not in old  # what every report before Threads looked like
    new = weekly_report(WEEK, UTC_ZONE, [threads_post("2026-11-24 12:00", likes=8, impressions=400)], [], NOW)
    archive = tmp_path / "reports.jsonl"
    append_report(archive, old, "home")
    append_report(archive, new, "home")
    first, second = read_archive(archive, "home")
    assert "Threads" not in report_text(first)
    assert "Threads: 1 post" in report_text(second)
