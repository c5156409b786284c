"""Performance score 0-100 on hand-computed communities: each component against the community's own p90."""

from __future__ import annotations

import pytest

from engagement.analytics import PerformanceScore, p90, performance_scores
from tests.engagement.analytics.posts import post


def test_p90_is_the_nearest_rank_90th_percentile() -> None:
    assert p90([]) == 0.0
    assert p90([5.0]) == 5.0
    assert p90([float(n) for n in range(1, 11)]) == 9.0  # rank ceil(0.9 x 10) = 9
    assert p90([3.0, 1.0, 2.0]) == 3.0  # rank ceil(2.7) = 3


def test_three_posts_scored_by_hand() -> None:
    best = post("2026-11-24 15:00", likes=10, reposts=5, replies=5, impressions=2000, followers=1000)
    middle = post("2026-11-24 16:00", likes=4, reposts=1, impressions=500, followers=1000)
    quiet = post("2026-11-24 17:00")  # nothing, impressions and followers unknown
    scores = performance_scores([best, middle, quiet])
    # p90s: engagements 20, reach (impressions per follower) 2.0, quality ((replies + reposts) / likes) 1.0
    assert scores[best.tweet_id] == PerformanceScore(100.0, 40.0, 30.0, 30.0)
    # 40 x 5/20, 30 x 0.5/2.0, 30 x (1/4)/1.0
    assert scores[middle.tweet_id] == PerformanceScore(25.0, 10.0, 7.5, 7.5)
    assert scores[quiet.tweet_id] == PerformanceScore(0.0, 0.0, 0.0, 0.0)


def test_an_outlier_does_not_squash_everyone_else() -> None:
    posts = [post("2026-11-24 15:00", likes=n) for n in (*range(1, 10), 100)]
    scores = [performance_scores(posts)[item.tweet_id].engagement for item in posts]
    assert scores[8] == scores[9] == 40.0  # p90 is 9 engagements: 9 and 100 both reach the cap
    assert scores[2] == pytest.approx(13.3)  # 40 x 3/9


def test_a_score_means_the_same_in_a_small_and_a_big_community() -> None:
    small = [post("2026-11-24 15:00", likes=n, impressions=100 * n, followers=100) for n in range(1, 11)]
    big = [post("2026-11-24 15:00", likes=100 * n, impressions=10_000 * n, followers=10_000) for n in range(1, 11)]
    small_scores = [performance_scores(small)[item.tweet_id].total for item in small]
    big_scores = [performance_scores(big)[item.tweet_id].total for item in big]
    assert small_scores == big_scores


def test_one_post_alone_scores_its_reach_and_engagement_in_full() -> None:
    only = post("2026-11-24 15:00", likes=2, impressions=50, followers=10)
    assert performance_scores([only])[only.tweet_id] == PerformanceScore(70.0, 40.0, 30.0, 0.0)
