"""Engagements found by packed searches (replies, reposts, quotes) rather than one list request per post.

Each post remembers how far its search has read: the newest post seen (`<kind>_since_id`) and when it
was last searched (`<kind>_searched_at`). Its bound is the later of the two and of the post itself
(nothing older can engage with it). Posts are packed into queries in order of that bound,
so the one `since_id` or `start_time` a query carries, the lowest of its pack, is close to every
member's own: a pack re-reads little that an earlier search already read (and paid for).
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from engagement.batch._selection import TrackedTweet
from engagement.x import XClient, pack_queries
from engagement.x._query import posted_at
from engagement.x.models import SearchResult, Tweet

REPLY = "reply"
# Search indexes a post a moment after it is made: a search repeats the last minute it covered.
SEARCHED_AT_MARGIN_SECONDS = 60
PACK_SPREAD_SECONDS = 15 * 60  # how far apart the bounds in one pack may be, where a re-read is paid for
SAME_BATCH_SECONDS = 120  # bounds this close were set by one batch's searches


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
    list_entry: Callable[[Tweet], str] = lambda post: post.author_id  # that list's entry for a found post
    # Whether every post this search finds was read as a post before (then a re-read the same UTC day is
    # free); reposts are not: those the list found were read as users, so their repost posts cost.
    read_as_posts_only: bool = True

    @property
    def pack_spread_seconds(self) -> float:
        """How far apart the bounds in one pack may be where a re-read is paid for: of one batch's searches,
        where what the pack reads again may have been read as users, not as posts."""
        return PACK_SPREAD_SECONDS if self.read_as_posts_only else SAME_BATCH_SECONDS

    @property
    def searched_field(self) -> str:
        return f"{self.kind}_searched_at"

    def bound(self, item: TrackedTweet) -> tuple[float, str | None]:
        """(epoch seconds, the since id when that is what binds): how far this post's search has read.

        Never searched, it is the post itself: everything that engages with a post is newer than it.
        """
        since = item.state.get(self.since_field, "")
        candidates: list[tuple[float, str | None]] = [(posted_at(item.tweet_id).timestamp(), item.tweet_id)]
        if since.isdigit():
            candidates.append((posted_at(since).timestamp(), since))
        searched = item.moment(self.searched_field)
        if searched is not None:
            candidates.append((searched - SEARCHED_AT_MARGIN_SECONDS, None))
        return max(candidates, key=_lateness)


def _lateness(bound: tuple[float, str | None]) -> tuple[float, bool, int]:
    """Order of bounds: by time; at the same moment a since id is the later one (it leaves out that moment's
    older posts), and of two since ids the higher."""
    at, since_id = bound
    return at, since_id is not None, int(since_id or 0)


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


def _of_post(
    kind: str, operator: str, since_field: str, referenced: Callable[[Tweet], str | None], **options: Any
) -> SearchedWork:
    """Engagements that point at the post itself (a repost, a quote): one exact term per post."""
    return SearchedWork(
        kind=kind,
        operator=operator,
        since_field=since_field,
        term=lambda item: item.tweet_id,
        belongs=lambda post, item: referenced(post) == item.tweet_id,
        list_kind=kind,
        **options,
    )


def _search_reposts(x: XClient) -> Callable[..., Awaitable[SearchResult]]:
    return x.search_reposts_of


def _search_quotes(x: XClient) -> Callable[..., Awaitable[SearchResult]]:
    return x.search_quotes


# Exact per post: `retweets_of:<author>` would also read the reposts of every post the author did not submit.
# The list a repost search stands in for lists users; the quotes list lists quote posts.
REPOSTS = _of_post("retweet", "retweets_of_tweet_id", "repost_since_id", lambda post: post.reposted_id,
                   search=_search_reposts, read_as_posts_only=False)  # fmt: skip
QUOTES = _of_post("quote", "quotes_of_tweet_id", "quote_since_id", lambda post: post.quoted_id,
                  search=_search_quotes, list_entry=lambda post: post.id)  # fmt: skip


@dataclass(frozen=True)
class SearchGroup:
    """Posts searched by one packed query, and where that query starts."""

    items: list[TrackedTweet]
    since_id: str | None
    start_time: datetime | None


def _packs(
    ordered: list[TrackedTweet], at: Callable[[TrackedTweet], float], free_from: float, spread: float
) -> Iterator[list[TrackedTweet]]:
    """Runs of posts whose bounds are within `spread` where re-reading costs: what a pack-mate's lower bound
    reads again is paid for again, unless it was made after `free_from` (then it was read and paid for today)."""
    pack: list[TrackedTweet] = []
    for item in ordered:
        if pack and min(at(item), free_from) - at(pack[0]) > spread:
            yield pack
            pack = []
        pack.append(item)
    if pack:
        yield pack


def search_groups(work: SearchedWork, todo: list[TrackedTweet], now: float) -> Iterator[SearchGroup]:
    """Posts in order of their bound, as many to a query as fit; each query starts at its lowest bound."""
    bounds = {id(item): work.bound(item) for item in todo}
    ordered = sorted(todo, key=lambda item: _lateness(bounds[id(item)]))
    free_from = now - now % 86400 if work.read_as_posts_only else float("inf")  # X bills once per UTC day
    for pack in _packs(ordered, lambda item: bounds[id(item)][0], free_from, work.pack_spread_seconds):
        for query in pack_queries(work.operator, [work.term(item) for item in pack]):
            in_query = set(re.findall(rf"{work.operator}:([0-9]+)", query))
            items = [item for item in pack if work.term(item) in in_query]
            at, since_id = min((bounds[id(item)] for item in items), key=_lateness)
            yield SearchGroup(items, since_id, None if since_id else datetime.fromtimestamp(at, UTC))


def newer_since(item: TrackedTweet, field: str, newest_id: str | None) -> dict[str, str | int | float]:
    current = item.state.get(field, "")
    if newest_id is None or not newest_id.isdigit() or (current.isdigit() and int(current) >= int(newest_id)):
        return {}
    item.state[field] = newest_id
    return {field: newest_id}
