"""Scenario generator: reproducible, skewed, and its expected awards follow the product's rules."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime

import pytest

from sandbox.fake_x import FakeX
from sandbox.scenario import Scenario, generate_scenario

START = datetime(2026, 11, 17, 8, tzinfo=UTC)


def _summary(scenario: Scenario) -> tuple[object, ...]:
    fake = scenario.fake
    return (
        [(m.discord_id, m.x_user_id, m.username, m.tier, m.user_token) for m in scenario.members],
        scenario.unlinked,
        scenario.tweets,
        sorted(scenario.expected_awards),
        sorted((p.id, p.author_id, p.conversation_id, p.created_at) for p in fake.posts.values()),
        scenario.end,
    )


def _engagers(fake: FakeX, tweet_id: str) -> dict[str, set[str]]:
    """Who did what to a tweet, straight from the fake's world."""
    return {
        "retweet": {user.id for _, user in fake.reposters(tweet_id)},
        "quote": {quote.author_id for quote in fake.quotes_of(tweet_id)},
        "reply": {p.author_id for p in fake.posts.values() if p.conversation_id == tweet_id and p.id != tweet_id},
        "like": {user.id for _, user in fake.likers(tweet_id)},
    }


def test_the_same_seed_builds_the_same_world() -> None:
    first, second = (generate_scenario(7, 12, 30, start=START) for _ in range(2))
    assert _summary(first) == _summary(second)
    assert _summary(first) != _summary(generate_scenario(8, 12, 30, start=START))


def test_expected_awards_follow_the_rules() -> None:
    scenario = generate_scenario(3, 15, 60, start=START, unlinked=6)
    fake = scenario.fake
    members = {m.x_user_id: m for m in scenario.members}

    assert scenario.expected_awards
    for tweet_id, user_id, kind in scenario.expected_awards:
        author = scenario.tweets[tweet_id]
        assert user_id in members, "only linked members earn"
        assert user_id != author, "no points for engaging with your own tweet"
        assert user_id in _engagers(fake, tweet_id)[kind]
        if kind == "like":
            assert members[author].user_token is not None, "likes are readable only with the author's token"


def _truth(scenario: Scenario) -> set[tuple[str, str, str]]:
    """The awards the product's rules give for what happened to the submitted tweets."""
    members = {m.x_user_id: m for m in scenario.members}
    truth = set()
    for tweet_id, author in scenario.tweets.items():
        engagers = _engagers(scenario.fake, tweet_id)
        if not members[author].user_token:
            engagers["like"] = set()
        awardable = {kind: (users - {author}) & members.keys() for kind, users in engagers.items()}
        truth |= {(tweet_id, user, kind) for kind, users in awardable.items() for user in users}
    return truth


def test_every_awardable_engagement_is_expected() -> None:
    scenario = generate_scenario(5, 10, 40, start=START)
    assert _truth(scenario) == scenario.expected_awards


def test_engagement_is_skewed_and_threads_exist() -> None:
    scenario = generate_scenario(11, 30, 150, start=START, unlinked=10)
    per_tweet = Counter(tweet_id for tweet_id, _, _ in scenario.expected_awards)
    counts = sorted(per_tweet.get(tweet_id, 0) for tweet_id in scenario.tweets)
    median = counts[len(counts) // 2]
    assert counts[-1] >= 5 * max(median, 1), "a few tweets get far more than the typical one"
    nested = [p for p in scenario.fake.posts.values() if p.in_reply_to and p.in_reply_to != p.conversation_id]
    assert nested, "some replies answer other replies"
    own = [t for t, author in scenario.tweets.items() if any(author in u for u in _engagers(scenario.fake, t).values())]
    assert own, "authors sometimes engage with their own tweets"
    assert all(START <= scenario.fake.posts[t].created_at <= scenario.end for t in scenario.tweets)
    assert {m.tier for m in scenario.members} == {1, 2, 3}


def test_one_post_per_submission_is_the_default_world() -> None:
    default = generate_scenario(7, 12, 30, start=START)
    assert _summary(default) == _summary(generate_scenario(7, 12, 30, start=START, authors_post=1))
    assert default.untracked == []


def test_authors_who_post_more_than_they_submit_earn_only_on_submissions() -> None:
    scenario = generate_scenario(5, 10, 40, start=START, authors_post=5)
    fake = scenario.fake
    assert len(scenario.untracked) == 4 * len(scenario.tweets)
    assert not set(scenario.untracked) & set(scenario.tweets)
    members = {m.x_user_id for m in scenario.members}
    assert all(fake.posts[post].author_id in members for post in scenario.untracked)
    engaged = Counter(kind for post in scenario.untracked for kind, users in _engagers(fake, post).items() if users)
    assert all(engaged[kind] > 0 for kind in ("retweet", "reply", "like")), engaged
    assert {tweet_id for tweet_id, _, _ in scenario.expected_awards} <= set(scenario.tweets)
    assert _truth(scenario) == scenario.expected_awards


def test_fewer_posts_than_submissions_is_refused() -> None:
    with pytest.raises(ValueError, match="one post per submission"):
        generate_scenario(5, 10, 40, start=START, authors_post=0)
