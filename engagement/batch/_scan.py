"""Fetch: the request strategy of X_API.md, one kind of work at a time, oldest tweets first.

1. One lookup per 100 due tweets for the counters (`_cadence` says which are due).
2. Likes by list, through the author's own OAuth token, only where the counter moved: first, so
   the likers' user objects are paid for today before reposts are read (`_reposts`).
3. Reposts: as users (`retweeted_by`) where that is cheaper today, else by packed
   `retweets_of_tweet_id:` searches, each since the newest repost seen.
4. Quotes by packed `quotes_of_tweet_id:` searches; `quote_tweets` only once search is spent.
5. Replies by packed `conversation_id:` searches, each since the newest reply seen.
6. Reposts still pending (search spent) by `retweeted_by`.
Lists are newest first: each is paged down to the newest entries read last time (kept on the
submission as `newest_<kind>`), or to its end, never by a count. Once near the end of a post's
window, its lists and searches are read even with the counter unchanged (`_final_pass`).

The counters a kind of work was done against are stored on the submission
(`seen_<kind>`) only once that work succeeded, so a failure leaves it to be redone.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from functools import partial
from itertools import islice
from typing import TypeVar

from engagement.analytics import PUBLISHED_AT, snapshot_write
from engagement.batch._awarding import Awarder
from engagement.batch._cadence import GONE_AT, MOVED_AT, READ_AT
from engagement.batch._calls import Requests
from engagement.batch._final_pass import FinalPass
from engagement.batch._lists import COUNTERS, AuthorTokens, ListReader, counter
from engagement.batch._parts import ScanParts
from engagement.batch._record import BatchTally
from engagement.batch._reposts import read_as_users
from engagement.batch._searched import QUOTES, REPLIES, REPLY, REPOSTS
from engagement.batch._searching import Searcher
from engagement.batch._selection import LOOKUP, TrackedTweet
from engagement.batch._writes import Fields, ScanWrites
from engagement.store import Store
from engagement.x import XClient
from engagement.x.models import Tweet, TweetLookup

T = TypeVar("T")
THREADS_STEP = "threads"
LOOKUP_CHUNK = 100
LOOKUP_ENDPOINT = "tweets_lookup"
SEARCHES = {"repost search": REPOSTS, "quote search": QUOTES, "reply search": REPLIES}
STEPS: tuple[str, ...] = (LOOKUP, "likes", "reposts as users", "repost search", "quote search", "quote lists")
STEPS += ("reply search", "repost lists", THREADS_STEP)  # the last: the Threads posts (`engagement.threads`)
POOLED = (LOOKUP, *SEARCHES)  # in a cycle over several communities, done for all of them at once


def _may_have_new(tweet: Tweet, kind: str, seen: int) -> bool:
    """Whether `kind` needs a request. A reply to a reply leaves the post's own `reply_count`
    unchanged, so a conversation that has replies is searched (since the newest seen) whenever it is read."""
    return counter(tweet, kind) > seen or (kind == REPLY and counter(tweet, kind) > 0)


def _moved(item: TrackedTweet, tweet: Tweet) -> bool:
    """Whether any counter differs from the last lookup's."""
    return any(item.state.get(name, "") != str(getattr(tweet.metrics, name)) for name in COUNTERS.values())


def chunks(items: Sequence[T], size: int) -> Iterator[list[T]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


class Scanner:
    def __init__(
        self,
        store: Store,
        x: XClient,
        awarder: Awarder,
        requests: Requests,
        tally: BatchTally,
        tokens: AuthorTokens,
        final_pass: FinalPass | None = None,
    ) -> None:
        self.store, self.x, self.requests, self.tally, self.final_pass = store, x, requests, tally, final_pass
        self.writes = ScanWrites(store, tally, final_pass)
        parts = ScanParts(store, x, awarder, requests, tally, self.writes)
        self.lists = ListReader(parts, tokens)
        self.searcher = Searcher(parts)

    async def scan(self, tweets: list[TrackedTweet]) -> None:
        try:
            for step in STEPS:
                await self.step(step, tweets)
        finally:
            await self.writes.flush()

    async def step(self, step: str, tweets: list[TrackedTweet]) -> None:
        """One step of the scan (`STEPS`); in a cycle the pooled ones run across communities (`_pool`)."""
        if step == LOOKUP:
            await self.lookup(tweets)
            await self.writes.flush()
        elif step in SEARCHES:
            await self.searcher.run(SEARCHES[step], tweets)
        elif step == "likes":
            await self.lists.read("like", tweets)
        elif step == "reposts as users":
            await self.lists.read("retweet", read_as_users(self.x, tweets))
        elif step == "quote lists":  # only what search could not take
            await self.lists.read("quote", tweets)
        elif step == "repost lists":  # likewise
            await self.lists.read("retweet", tweets)

    # 1. counters
    async def lookup(self, tweets: list[TrackedTweet]) -> None:
        todo = [item for item in tweets if LOOKUP in item.pending]
        for chunk in chunks(todo, LOOKUP_CHUNK):
            ids = [item.tweet_id for item in chunk]
            request = partial(self.x.lookup_tweets, ids, with_authors=False)
            result = await self.requests.call(LOOKUP_ENDPOINT, LOOKUP, chunk, request)
            if result is not None:
                for item in chunk:
                    await self.looked_up(item, result)

    async def looked_up(self, item: TrackedTweet, result: TweetLookup) -> None:
        tweet = result.found.get(item.tweet_id)
        if tweet is None:
            if item.tweet_id in result.gone:
                self.tally.error(f"tweet {item.tweet_id} (submission {item.submission.id}) is deleted or private")
                item.pending.clear()
                await self.writes.save(item, {GONE_AT: round(self.store.now(), 3)})
            else:  # not known to be gone: try again next batch
                problem = result.problems.get(item.tweet_id, "no usable data")
                self.tally.error(f"X sent no usable data for tweet {item.tweet_id} ({problem}); retried next batch")
                item.failed(LOOKUP)
            return
        item.tweet = tweet
        item.done(LOOKUP)
        self.tally.tweets_scanned += 1
        now = round(self.store.now(), 3)
        fields: Fields = {name: int(getattr(tweet.metrics, name)) for name in COUNTERS.values()}
        fields[READ_AT] = now
        if PUBLISHED_AT not in item.state:
            fields[PUBLISHED_AT] = round(tweet.created_at.timestamp(), 3)
        await self.writes.snapshot(snapshot_write(item.submission.id, tweet, now))
        if _moved(item, tweet):
            fields[MOVED_AT] = now
        for kind in COUNTERS:
            if kind in item.pending and not _may_have_new(tweet, kind, item.seen(kind)):
                if self._final_due(item, kind, tweet):
                    continue  # read once more before the post leaves the window
                item.done(kind)  # nothing new: no request
                if counter(tweet, kind) < item.seen(kind):
                    fields[f"seen_{kind}"] = counter(tweet, kind)  # engagements were undone; count from here
        item.state.update({name: str(value) for name, value in fields.items()})
        await self.writes.save(item, fields)

    def _final_due(self, item: TrackedTweet, kind: str, tweet: Tweet) -> bool:
        """An empty list (counter 0) holds nobody to pay, so it needs no final read."""
        due = self.final_pass is not None and self.final_pass.due(item, kind, self.store.now())
        return due and counter(tweet, kind) > 0
