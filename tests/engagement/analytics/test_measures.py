"""Per-post measures on hand-computed posts, edge cases included (no impressions, only likes, no snapshots)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from engagement.analytics import Counters, Snapshot, post_measures
from tests.engagement.analytics.posts import post


def test_every_measure_of_a_post_with_each_engagement_type() -> None:
    found = post_measures(post("2026-11-24 15:00", likes=10, reposts=5, replies=3, quotes=2, impressions=1000))
    assert found.engagements == 20
    assert (found.engagement_rate, found.rate_known) == (2.0, True)  # 20 / 1,000 x 100
    assert found.weighted_score == 10 * 1 + 5 * 2 + 3 * 3 + 2 * 2 == 33
    assert found.reply_to_like == 0.3
    assert found.distribution == {"likes": 0.5, "reposts": 0.25, "replies": 0.15, "quotes": 0.1}
    assert found.velocity == 3.3333  # 20 engagements in the six hours to its one snapshot (4 places)


@pytest.mark.parametrize("impressions", [0, None], ids=["zero impressions", "impressions missing"])
def test_no_impressions_gives_a_rate_of_0_and_says_it_is_unknown(impressions: int | None) -> None:
    found = post_measures(post("2026-11-24 15:00", likes=3, replies=1, impressions=impressions))
    assert (found.engagement_rate, found.rate_known, found.impressions) == (0.0, False, impressions)
    assert found.engagements == 4  # the other measures do not need impressions


def test_a_post_with_only_likes() -> None:
    found = post_measures(post("2026-11-24 15:00", likes=7, impressions=700))
    assert (found.engagement_rate, found.weighted_score, found.reply_to_like) == (1.0, 7, 0.0)
    assert found.distribution == {"likes": 1.0, "reposts": 0.0, "replies": 0.0, "quotes": 0.0}


def test_a_post_without_likes_has_no_reply_to_like_ratio_and_no_engagement_has_no_shares() -> None:
    assert post_measures(post("2026-11-24 15:00", replies=2)).reply_to_like is None
    empty = post_measures(post("2026-11-24 15:00"))
    assert empty.distribution == {"likes": 0.0, "reposts": 0.0, "replies": 0.0, "quotes": 0.0}
    assert (empty.engagements, empty.velocity, empty.velocity_trend) == (0, 0.0, None)


def test_velocity_and_its_trend_between_snapshots() -> None:
    base = post("2026-11-24 15:00")
    series = tuple(
        Snapshot(base.published_at + hours * 3600, hours, Counters(likes=likes))
        for hours, likes in ((1, 4), (2, 10), (4, 14))
    )
    found = post_measures(replace(base, snapshots=series))
    assert found.velocity == 3.5  # 14 engagements in 4 hours
    assert found.velocity_trend == -4.0  # 4 / 2 h between the last two, minus 6 / 1 h between the two before


def test_a_post_never_read_has_zero_counters() -> None:
    found = post_measures(replace(post("2026-11-24 15:00", likes=5), snapshots=()))
    assert (found.engagements, found.velocity, found.rate_known) == (0, 0.0, False)
