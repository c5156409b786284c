"""Fetch: the request strategy of X_API.md, one kind of work at a time, oldest tweets first.

1. One lookup per 100 tweets for the counters.
2. Reposts by packed `retweets_of:` searches (one query covers many authors' posts), each since
   the newest repost seen; only where the repost counter moved. Should search be spent, the
   rest falls back to `retweeted_by`.
3. Quotes and likes by list: only where the counter moved, paged only as far as the new entries.
   Likes only through the author's own OAuth token.
4. Replies by packed `conversation_id:` searches, each since the newest reply seen.

The counters a kind of work was done against are stored on the submission
(`seen_<kind>`) only once that work succeeded, so a failure leaves it to be redone.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import partial
from itertools import islice

from engagement.batch._awarding import Awarder
from engagement.batch._calls import Requests
from engagement.batch._record import BatchTally
from engagement.batch._selection import LIST_KINDS, LOOKUP, TrackedTweet
from engagement.store import Store
from engagement.x import XClient, budget_key, pack_queries
from engagement.x.models import SearchResult, Tweet, TweetLookup

LOOKUP_CHUNK = 100
REPLY = "reply"
ENDPOINTS = {
    LOOKUP: "tweets_lookup",
    "retweet": "retweeted_by",
    "quote": "quote_tweets",
    "like": "liking_users",
}
SEARCH = "search_recent"
COUNTERS = {"retweet": "repost_count", "quote": "quote_count", "like": "like_count", REPLY: "reply_count"}


def counter(tweet: Tweet, kind: str) -> int:
    return int(getattr(tweet.metrics, COUNTERS[kind]))


def _may_have_new(tweet: Tweet, kind: str, seen: int) -> bool:
    """Whether `kind` needs a request. A reply to a reply leaves the post's own `reply_count`
    unchanged, so a conversation that has replies is searched (since the newest seen) every batch."""
    return counter(tweet, kind) > seen or (kind == REPLY and counter(tweet, kind) > 0)


def _chunks(items: Sequence[TrackedTweet], size: int) -> Iterator[list[TrackedTweet]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


class Scanner:
    def __init__(self, store: Store, x: XClient, awarder: Awarder, requests: Requests, tally: BatchTally) -> None:
        self.store = store
        self.x = x
        self.awarder = awarder
        self.requests = requests
        self.tally = tally

    async def scan(self, tweets: list[TrackedTweet]) -> None:
        await self.lookup(tweets)
        await self.reposts(tweets)
        for kind in LIST_KINDS:
            await self.engager_lists(kind, tweets)
        await self.replies(tweets)

    # 1. counters
    async def lookup(self, tweets: list[TrackedTweet]) -> None:
        todo = [item for item in tweets if LOOKUP in item.pending]
        for chunk in _chunks(todo, LOOKUP_CHUNK):
            ids = [item.tweet_id for item in chunk]
            result = await self.requests.call(
                ENDPOINTS[LOOKUP], LOOKUP, chunk, partial(self.x.lookup_tweets, ids, with_authors=False)
            )
            if result is not None:
                for item in chunk:
                    await self._looked_up(item, result)

    async def _looked_up(self, item: TrackedTweet, result: TweetLookup) -> None:
        tweet = result.found.get(item.tweet_id)
        if tweet is None:
            if item.tweet_id in result.gone:
                self.tally.error(f"tweet {item.tweet_id} (submission {item.submission.id}) is deleted or private")
                item.pending.clear()
            else:
                self.tally.error(f"X sent no usable data for tweet {item.tweet_id}")
                item.failed(LOOKUP)
            return
        item.tweet = tweet
        item.done(LOOKUP)
        self.tally.tweets_scanned += 1
        fields: dict[str, str | int | float] = {name: int(getattr(tweet.metrics, name)) for name in COUNTERS.values()}
        for kind in COUNTERS:
            if kind in item.pending and not _may_have_new(tweet, kind, item.seen(kind)):
                item.done(kind)  # nothing new: no request
                if counter(tweet, kind) < item.seen(kind):
                    fields[f"seen_{kind}"] = counter(tweet, kind)  # engagements were undone; count from here
        await self.store.update_submission_fields(item.submission.id, fields)

    async def _finish(self, item: TrackedTweet, kind: str, extra: dict[str, str | int | float] | None = None) -> None:
        """Remember the counter this work was done against, then drop it from the pending work."""
        assert item.tweet is not None
        fields: dict[str, str | int | float] = {f"seen_{kind}": counter(item.tweet, kind), **(extra or {})}
        await self.store.update_submission_fields(item.submission.id, fields)
        item.done(kind)

    # 2. retweets, quotes, likes
    async def engager_lists(self, kind: str, tweets: list[TrackedTweet]) -> None:
        for item in tweets:
            if kind in item.pending and item.tweet is not None:
                engagers = await self._engagers(kind, item, item.tweet)
                if engagers is not None:
                    await self.awarder.award(item, kind, engagers)
                    await self._finish(item, kind)

    async def _engagers(self, kind: str, item: TrackedTweet, tweet: Tweet) -> list[str] | None:
        new_needed = counter(tweet, kind) - item.seen(kind)

        async def retweeters() -> list[str]:
            known = await self.awarder.known_engagers(item, kind)
            return [user.id for user in await self.x.retweeted_by(tweet.id, new_needed=new_needed, known=known)]

        async def quoters() -> list[str]:
            known = await self.awarder.known_engagers(item, kind)
            quotes = await self.x.quote_tweets(tweet.id, new_needed=new_needed, known=known)
            return [quote.author_id for quote in quotes]

        if kind == "retweet":
            return await self.requests.call(ENDPOINTS[kind], kind, [item], retweeters)
        if kind == "quote":
            return await self.requests.call(ENDPOINTS[kind], kind, [item], quoters)
        return await self._likers(item, tweet, new_needed)

    async def _likers(self, item: TrackedTweet, tweet: Tweet, new_needed: int) -> list[str] | None:
        token = await self.store.author_token(item.submission.author_x_id)
        if token is None:
            self.tally.likes_untracked += 1  # likes are private to the author since June 2024
            item.done("like")
            return None

        async def likers() -> list[str]:
            known = await self.awarder.known_engagers(item, "like")
            users = await self.x.liking_users(tweet.id, token, new_needed=new_needed, known=known)
            return [user.id for user in users]

        # A user token can be revoked or expire: that is this tweet's problem, not the endpoint's.
        # Its budget is the author's own (X counts user-context requests per user).
        budget = budget_key(ENDPOINTS["like"], token)
        return await self.requests.call(ENDPOINTS["like"], "like", [item], likers, fatal=(), budget=budget)

    # 3. replies and reposts: packed searches, each since the newest post seen
    async def replies(self, tweets: list[TrackedTweet]) -> None:
        await self._searched(REPLIES, tweets)

    async def reposts(self, tweets: list[TrackedTweet]) -> None:
        await self._searched(REPOSTS, tweets)

    async def _searched(self, work: SearchedWork, tweets: list[TrackedTweet]) -> None:
        todo = sorted((item for item in tweets if work.kind in item.pending and item.tweet), key=work.since_order)
        for group in _search_groups(work, todo):
            await self._search_group(work, group)

    async def _search_group(self, work: SearchedWork, group: list[TrackedTweet]) -> None:
        since_ids = [item.state.get(work.since_field, "") for item in group]
        since_id = min(since_ids, key=int) if all(since.isdigit() for since in since_ids) else None
        # Nothing can predate the oldest post of the group: without a since id, search from there.
        start = min(item.tweet.created_at for item in group if item.tweet)
        terms = list(dict.fromkeys(work.term(item) for item in group))
        search = work.search(self.x)

        async def request() -> SearchResult:
            return await search(terms, since_id=since_id, start_time=None if since_id else start)

        found = await self.requests.call(SEARCH, work.kind, group, request)
        if found is None:
            return
        for item in group:
            engagers = [post.author_id for post in found.tweets if work.belongs(post, item)]
            await self.awarder.award(item, work.kind, engagers)
            await self._finish(item, work.kind, _newer_since(item, work.since_field, found.newest_id))


@dataclass(frozen=True)
class SearchedWork:
    """A kind of engagement found by packed searches rather than one list request per post."""

    kind: str
    operator: str  # the search operator whose terms are packed, e.g. conversation_id
    since_field: str  # where the newest post seen is kept on the submission
    term: Callable[[TrackedTweet], str]
    belongs: Callable[[Tweet, TrackedTweet], bool]
    search: Callable[[XClient], Callable[..., Awaitable[SearchResult]]]

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
)


def _search_groups(work: SearchedWork, todo: list[TrackedTweet]) -> Iterator[list[TrackedTweet]]:
    """Items whose terms fit one search query together."""
    for query in pack_queries(work.operator, [work.term(item) for item in todo]):
        in_query = set(re.findall(rf"{work.operator}:([0-9]+)", query))
        yield [item for item in todo if work.term(item) in in_query]


def _newer_since(item: TrackedTweet, field: str, newest_id: str | None) -> dict[str, str | int | float]:
    current = item.state.get(field, "")
    if newest_id is None or not newest_id.isdigit() or (current.isdigit() and int(current) >= int(newest_id)):
        return {}
    item.state[field] = newest_id
    return {field: newest_id}
