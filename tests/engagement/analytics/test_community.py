"""Community type, summaries and best posting times on hand-built communities."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pytest

from engagement.analytics import TimeSlot, best_times, community_type, summarize
from tests.engagement.analytics.posts import at, post, rated

TUESDAY = "2026-11-24"


@pytest.mark.parametrize(
    ("counts", "expected"),
    [
        ({"likes": 69, "replies": 31}, "conversational"),
        ({"likes": 49, "reposts": 21, "replies": 30}, "sharing-focused"),  # replies at 30 % do not exceed 30 %
        ({"likes": 71, "reposts": 20, "replies": 9}, "passive"),
        ({"likes": 70, "reposts": 20, "replies": 10}, "balanced"),  # each share at its bound, none above
        ({"likes": 40, "reposts": 25, "replies": 35}, "conversational"),  # two rules match: the first wins
        ({"likes": 50, "quotes": 50}, "balanced"),
    ],
)
def test_community_type_takes_the_first_matching_rule(counts: dict[str, int], expected: str) -> None:
    posts = [post(f"{TUESDAY} 10:00", **counts)]  # type: ignore[arg-type]
    assert community_type(posts).type == expected


def test_no_engagement_is_balanced_and_says_it_is_empty() -> None:
    mix = community_type([post(f"{TUESDAY} 10:00")])
    assert (mix.type, mix.empty, mix.engagements) == ("balanced", True, 0)
    assert community_type([]).empty


def test_the_type_sums_every_post_before_taking_shares() -> None:
    mix = community_type([post(f"{TUESDAY} 10:00", likes=10), post(f"{TUESDAY} 11:00", replies=10)])
    assert mix.shares == {"likes": 0.5, "reposts": 0.0, "replies": 0.5, "quotes": 0.0}
    assert mix.type == "conversational"


def test_a_summary_over_a_range_with_categories_best_and_worst() -> None:
    start, end = at("2026-11-23 00:00"), at("2026-11-30 00:00")
    memes = [rated(f"{TUESDAY} 10:00", 4.0, category="meme"), rated(f"{TUESDAY} 11:00", 2.0, category="meme")]
    art = post(f"{TUESDAY} 12:00", likes=5, impressions=0, category="art")  # rate unknown: not in the average
    outside = rated("2026-11-30 00:00", 50.0)  # the end is excluded
    found = summarize([*memes, art, outside], start, end)
    assert (found.posts, found.impressions, found.engagements) == (3, 2000, 65)
    assert found.average_rate == 3.0  # (4 + 2) / 2
    assert found.best is not None
    assert found.best.tweet_id == memes[0].tweet_id
    assert found.worst is not None
    assert found.worst.tweet_id == art.tweet_id
    assert found.by_category["meme"].posts == 2
    assert found.by_category["meme"].average_rate == 3.0
    assert found.by_category["art"].average_rate == 0.0


def test_an_empty_period() -> None:
    found = summarize([rated(f"{TUESDAY} 10:00", 4.0)], at("2026-12-01 00:00"), at("2026-12-08 00:00"))
    assert (found.posts, found.engagements, found.average_rate, found.best, found.by_category) == (0, 0, 0.0, None, {})


def test_best_times_rank_slots_of_two_posts_or_more_by_average_rate() -> None:
    now = at("2026-11-29 00:00")
    posts = [
        rated(f"{TUESDAY} 15:00", 4.0),
        rated(f"{TUESDAY} 15:40", 6.0),  # same slot: Tuesday 15h, average 5
        rated("2026-11-25 10:00", 1.0),
        rated("2026-11-25 10:30", 3.0),  # Wednesday 10h, average 2
        rated("2026-11-26 08:00", 10.0),  # one post only: not ranked
        rated("2026-08-01 15:00", 90.0),  # older than 90 days
        rated("2026-08-01 15:10", 90.0),
    ]
    assert best_times(posts, now) == [TimeSlot(1, 15, 2, 5.0), TimeSlot(2, 10, 2, 2.0)]


def test_best_times_in_the_community_time_zone() -> None:
    now = at("2026-11-29 00:00")
    posts = [rated(f"{TUESDAY} 15:00", 4.0), rated(f"{TUESDAY} 15:40", 6.0)]
    assert best_times(posts, now, ZoneInfo("Asia/Tokyo")) == [TimeSlot(2, 0, 2, 5.0)]  # 15:00 UTC is 00:00 in Tokyo


def test_best_times_keep_the_top_ten() -> None:
    now = at("2026-11-29 00:00")
    posts = [rated(f"{TUESDAY} {hour:02d}:{minute:02d}", hour) for hour in range(12) for minute in (0, 30)]
    found = best_times(posts, now)
    assert [slot.hour for slot in found] == list(range(11, 1, -1))
