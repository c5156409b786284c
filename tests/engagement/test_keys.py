from __future__ import annotations

from datetime import UTC, datetime

import pytest

from engagement.errors import InvalidInput
from engagement.keys import Keys, award_log_id, iso_week

K = Keys("engagement")


def test_documented_layout_is_kept_exactly() -> None:
    assert K.connection("123") == "engagement:connection:123"
    assert K.twitter_handle("@Alice_1") == "engagement:twitter:alice_1"
    assert K.x_user("2244994945") == "engagement:xuser:2244994945"
    assert K.tweet("7") == "engagement:tweet:7"
    assert K.tweet_id("1850") == "engagement:tweetid:1850"
    assert K.tweets_recent() == "engagement:tweets:recent"
    assert K.log("1850-2244-like") == "engagement:log:1850-2244-like"
    assert K.user_logs("123") == "engagement:user:123:logs"
    assert K.tweet_logs("1850") == "engagement:tweet:1850:logs"
    assert K.rule(2, "reply") == "engagement:rules:2-reply"
    assert K.batch("9") == "engagement:batch:9"
    assert K.batches() == "engagement:batches"
    assert K.leaderboard_alltime() == "engagement:leaderboard:alltime"
    assert K.leaderboard_weekly("2026-W48") == "engagement:leaderboard:weekly:2026-W48"
    assert Keys("other").tweets_recent() == "other:tweets:recent"


def test_iso_week_and_log_id() -> None:
    assert iso_week(datetime(2026, 11, 23, tzinfo=UTC)) == "2026-W48"
    assert iso_week(datetime(2027, 1, 1, tzinfo=UTC)) == "2026-W53"
    assert award_log_id("1850", "2244", "quote") == "1850-2244-quote"


@pytest.mark.parametrize("handle", ["al ice", "a:b", "a*", "", "@", "x" * 16, "ａlice", "bo\nb", "{x}"])
def test_bad_handles_never_become_keys(handle: str) -> None:
    with pytest.raises(InvalidInput, match="not an X username"):
        K.twitter_handle(handle)


@pytest.mark.parametrize("value", ["12a", "", "-5", "0", "1" * 21, "1:2", "*", "１２", " ", "1e5", True])
def test_non_numeric_ids_never_become_keys(value: object) -> None:
    for build in (K.connection, K.x_user, K.tweet_id, K.tweet, K.user_logs):
        with pytest.raises(InvalidInput):
            build(value)  # type: ignore[arg-type]


@pytest.mark.parametrize("log_id", ["1-2-follow", "a-b-like", "1-2-like:x", "adj-", "*"])
def test_bad_log_ids_refused(log_id: str) -> None:
    with pytest.raises(InvalidInput):
        K.log(log_id)


def test_bad_prefix_refused() -> None:
    with pytest.raises(InvalidInput):
        Keys("has space")


def test_surrounding_blanks_and_at_sign_are_normalised() -> None:
    assert K.twitter_handle(" @Bob \n") == "engagement:twitter:bob"
    assert K.connection(" 0042 ") == "engagement:connection:42"
