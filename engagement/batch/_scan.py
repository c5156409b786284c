"""Fetch: the request strategy of X_API.md, one kind of work at a time, oldest tweets first.

1. One lookup per 100 tweets for the counters.
2. An engager list only where its counter moved since the last finished scan,
   paged only as far as the new entries.
3. Replies by packed `conversation_id:` searches, each since the newest reply seen.
4. Likes only through the author's own OAuth token.

The counters a kind of work was done against are stored on the submission
(`seen_<kind>`) only once that work succeeded, so a failure leaves it to be redone.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from functools import partial
from itertools import islice

from engagement.batch._awarding import Awarder
from engagement.batch._calls import Requests
from engagement.batch._record import BatchTally
from engagement.batch._selection import LIST_KINDS, LOOKUP, TrackedTweet
from engagement.store import Store
from engagement.x import XClient
from engagement.x._query import pack_conversation_queries
from engagement.x.models import Tweet, TweetLookup

LOOKUP_CHUNK = 100
REPLY = "reply"
ENDPOINTS = {
    LOOKUP: "tweets_lookup",
    "retweet": "retweeted_by",
    "quote": "quote_tweets",
    "like": "liking_users",
    REPLY: "search_recent",
}
COUNTERS = {"retweet": "repost_count", "quote": "quote_count", "like": "like_count", REPLY: "reply_count"}
_CONVERSATION_TERM = re.compile(r"conversation_id:([0-9]+)")


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


def _since_order(item: TrackedTweet) -> tuple[int, int]:
    since = item.state.get("reply_since_id", "")
    return (1, int(since)) if since.isdigit() else (0, 0)


class Scanner:
    def __init__(self, store: Store, x: XClient, awarder: Awarder, requests: Requests, tally: BatchTally) -> None:
        self.store = store
        self.x = x
        self.awarder = awarder
        self.requests = requests
        self.tally = tally

    async def scan(self, tweets: list[TrackedTweet]) -> None:
        await self.lookup(tweets)
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
        return await self.requests.call(ENDPOINTS["like"], "like", [item], likers, fatal=())

    # 3. replies
    async def replies(self, tweets: list[TrackedTweet]) -> None:
        todo = sorted((item for item in tweets if REPLY in item.pending and item.tweet), key=_since_order)
        for group in self._reply_groups(todo):
            await self._search_group(group)

    def _reply_groups(self, todo: list[TrackedTweet]) -> Iterator[list[TrackedTweet]]:
        """Tweets whose conversations fit one search query together (similar since ids side by side)."""
        conversations = [item.tweet.conversation_id for item in todo if item.tweet]
        for query in pack_conversation_queries(conversations):
            in_query = set(_CONVERSATION_TERM.findall(query))
            yield [item for item in todo if item.tweet and item.tweet.conversation_id in in_query]

    async def _search_group(self, group: list[TrackedTweet]) -> None:
        since_ids = [item.state.get("reply_since_id", "") for item in group]
        since_id = min(since_ids, key=int) if all(since.isdigit() for since in since_ids) else None
        conversations = list(dict.fromkeys(item.tweet.conversation_id for item in group if item.tweet))

        async def search() -> tuple[list[Tweet], str | None]:
            result = await self.x.search_replies(conversations, since_id=since_id)
            return result.tweets, result.newest_id

        found = await self.requests.call(ENDPOINTS[REPLY], REPLY, group, search)
        if found is None:
            return
        replies, newest_id = found
        for item in group:
            assert item.tweet is not None
            repliers = [
                reply.author_id
                for reply in replies
                if reply.conversation_id == item.tweet.conversation_id and reply.id != item.tweet_id
            ]
            await self.awarder.award(item, REPLY, repliers)
            await self._finish(item, REPLY, self._newer_since(item, newest_id))

    @staticmethod
    def _newer_since(item: TrackedTweet, newest_id: str | None) -> dict[str, str | int | float]:
        current = item.state.get("reply_since_id", "")
        if newest_id is None or not newest_id.isdigit() or (current.isdigit() and int(current) >= int(newest_id)):
            return {}
        item.state["reply_since_id"] = newest_id
        return {"reply_since_id": newest_id}
