"""Engagements found by packed searches (replies, reposts) rather than one list request per post."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass

from engagement.batch._selection import TrackedTweet
from engagement.x import XClient, pack_queries
from engagement.x.models import SearchResult, Tweet

REPLY = "reply"


@dataclass(frozen=True)
class SearchedWork:
    """A kind of engagement found by packed searches rather than one list request per post."""

    kind: str
    operator: str  # the search operator whose terms are packed, e.g. conversation_id
    since_field: str  # where the newest post seen is kept on the submission
    term: Callable[[TrackedTweet], str]
    belongs: Callable[[Tweet, TrackedTweet], bool]
    search: Callable[[XClient], Callable[..., Awaitable[SearchResult]]]
    list_kind: str | None = None  # the engager list this search stands in for, whose markers it keeps

    def since_order(self, item: TrackedTweet) -> tuple[int, int]:
        """Items with similar since ids side by side, so one query's since id suits them all."""
        since = item.state.get(self.since_field, "")
        return (1, int(since)) if since.isdigit() else (0, 0)


def _conversation(item: TrackedTweet) -> str:
    return item.tweet.conversation_id if item.tweet else item.tweet_id


REPLIES = SearchedWork(
    kind=REPLY,
    operator="conversation_id",
    since_field="reply_since_id",
    term=_conversation,
    belongs=lambda post, item: post.conversation_id == _conversation(item) and post.id != item.tweet_id,
    search=lambda x: x.search_replies,
)
# `retweets_of:` takes the author: one query covers the new reposts of many posts, where
# retweeted_by costs one request per post (75 per 15 minutes).
REPOSTS = SearchedWork(
    kind="retweet",
    operator="retweets_of",
    since_field="repost_since_id",
    term=lambda item: item.submission.author_x_id,
    belongs=lambda post, item: post.reposted_id == item.tweet_id,
    search=lambda x: x.search_reposts,
    list_kind="retweet",
)


def search_groups(work: SearchedWork, todo: list[TrackedTweet]) -> Iterator[list[TrackedTweet]]:
    """Items whose terms fit one search query together."""
    for query in pack_queries(work.operator, [work.term(item) for item in todo]):
        in_query = set(re.findall(rf"{work.operator}:([0-9]+)", query))
        yield [item for item in todo if work.term(item) in in_query]


def newer_since(item: TrackedTweet, field: str, newest_id: str | None) -> dict[str, str | int | float]:
    current = item.state.get(field, "")
    if newest_id is None or not newest_id.isdigit() or (current.isdigit() and int(current) >= int(newest_id)):
        return {}
    item.state[field] = newest_id
    return {field: newest_id}
