"""Parsing X bodies: both counter names, entries without ids skipped, unreadable shapes refused."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from engagement.x import XUnavailable
from engagement.x._parse import lookup_problems, parse_tweets, parse_users

POST = {"id": "10", "text": "hi", "author_id": "7", "conversation_id": "10", "created_at": "2026-11-22T10:00:00.000Z"}


def test_old_and_new_counter_names_are_both_read() -> None:
    old = {**POST, "public_metrics": {"retweet_count": 3, "reply_count": 1, "like_count": 9, "quote_count": 2}}
    new = {**POST, "id": "11", "public_metrics": {"repost_count": 4, "reply_count": 0, "like_count": 0}}
    users = [{"id": "7", "name": "A", "username": "a", "public_metrics": {"tweet_count": 5}}]
    tweets = parse_tweets({"data": [old, new], "includes": {"users": users}})
    assert [t.metrics.repost_count for t in tweets] == [3, 4]
    assert (tweets[0].metrics.like_count, tweets[0].metrics.quote_count) == (9, 2)
    assert tweets[0].author_username == "a"
    assert tweets[0].created_at == datetime(2026, 11, 22, 10, tzinfo=UTC)
    assert parse_users(users)[0].post_count == 5
    assert parse_users([{"id": "8", "username": "b", "public_metrics": {"post_count": 6}}])[0].post_count == 6


def test_entries_without_id_or_author_are_skipped() -> None:
    body = {"data": [{"text": "no id"}, {**POST, "author_id": None}, POST]}
    assert [t.id for t in parse_tweets(body)] == ["10"]
    assert [u.id for u in parse_users([{"username": "ghost"}, {"id": "", "username": "x"}])] == []


def test_unreadable_shapes_raise_unavailable() -> None:
    with pytest.raises(XUnavailable):
        parse_tweets({"data": "nope"})


def test_only_resource_not_found_marks_a_post_gone() -> None:
    """Any other problem (transient, or one we do not know) leaves the post to be looked up again."""
    errors = [
        {"resource_id": "1", "title": "Not Found Error", "type": "https://api.x.com/2/problems/resource-not-found"},
        {"value": "2", "title": "Not Found Error", "type": "https://api.twitter.com/2/problems/resource-not-found"},
        {"resource_id": "3", "title": "Service Unavailable", "type": "https://api.x.com/2/problems/operational"},
        {"resource_id": "4", "title": "Not Found Error"},  # no type: not known to be gone
        {"resource_id": "9", "type": "https://api.x.com/2/problems/resource-not-found"},  # not asked for
        {"detail": "other"},
    ]
    gone, problems = lookup_problems({"errors": errors}, {"1", "2", "3", "4", "5"})
    assert gone == {"1", "2"}
    assert problems == {"3": "Service Unavailable", "4": "Not Found Error", "5": "no data and no problem reported"}


def test_entries_with_a_non_numeric_id_are_skipped() -> None:
    """X ids are numeric strings; a garbled one would crash `max(ids, key=int)` in the search's newest id."""
    body = {"data": [{**POST, "id": "abc"}, {**POST, "id": "1e3"}, POST]}
    assert [t.id for t in parse_tweets(body)] == ["10"]
    assert [u.id for u in parse_users([{"id": "x1", "username": "x"}, {"id": "8", "username": "b"}])] == ["8"]
