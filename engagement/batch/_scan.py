"""Fetch: the request strategy of X_API.md, one kind of work at a time, oldest tweets first.

1. One lookup per 100 tweets for the counters.
2. Reposts by packed `retweets_of:` searches (one query covers many authors' posts), each since
   the newest repost seen; only where the repost counter moved. Should search be spent, the
   rest falls back to `retweeted_by`.
3. Quotes and likes by list: only where the counter moved. Lists are newest first: each is paged
   down to the newest entries read last time (kept on the submission as `newest_<kind>`), or to
   its end, never by a count (engagers nobody is paid for move the counter too).
   Likes only through the author's own OAuth token.
4. Replies by packed `conversation_id:` searches, each since the newest reply seen.
5. Once near the end of a post's window, its lists and repost search are read even with the
   counter unchanged (`_final_pass`): an engagement undone plus a new one leave it as it was.

The counters a kind of work was done against are stored on the submission
(`seen_<kind>`) only once that work succeeded, so a failure leaves it to be redone.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from functools import partial
from itertools import islice

from engagement.batch._awarding import Awarder
from engagement.batch._calls import Requests
from engagement.batch._final_pass import FinalPass
from engagement.batch._record import BatchTally
from engagement.batch._searched import REPLIES, REPLY, REPOSTS, SearchedWork, newer_since, search_groups
from engagement.batch._selection import LIST_KINDS, LOOKUP, TrackedTweet
from engagement.errors import DamagedData
from engagement.store import Store
from engagement.x import ListRead, XClient, budget_key
from engagement.x.models import SearchResult, Tweet, TweetLookup

LOOKUP_CHUNK = 100
MARKERS_KEPT = 3  # newest entry ids kept per list; paging stops once two of them are met again
ENDPOINTS = {
    LOOKUP: "tweets_lookup",
    "retweet": "retweeted_by",
    "quote": "quote_tweets",
    "like": "liking_users",
}
SEARCH = "search_recent"
COUNTERS = {"retweet": "repost_count", "quote": "quote_count", "like": "like_count", REPLY: "reply_count"}
Fields = dict[str, str | int | float]
Listed = tuple[list[str], list[str]]  # (engager ids, the list's entry ids), newest first


def counter(tweet: Tweet, kind: str) -> int:
    return int(getattr(tweet.metrics, COUNTERS[kind]))


def _may_have_new(tweet: Tweet, kind: str, seen: int) -> bool:
    """Whether `kind` needs a request. A reply to a reply leaves the post's own `reply_count`
    unchanged, so a conversation that has replies is searched (since the newest seen) every batch."""
    return counter(tweet, kind) > seen or (kind == REPLY and counter(tweet, kind) > 0)


def _markers(item: TrackedTweet, kind: str) -> tuple[str, ...]:
    """The newest entries of `kind`'s list as last read (ids, newest first)."""
    return tuple(part for part in item.state.get(f"newest_{kind}", "").split(",") if part.isdigit())


def _new_markers(item: TrackedTweet, kind: str, newest_first: list[str], *, keep_old: bool) -> Fields:
    """Remember the list's newest entries. A search sees only what is new: the old markers follow it."""
    old = _markers(item, kind) if keep_old else ()
    value = ",".join(list(dict.fromkeys([*newest_first, *old]))[:MARKERS_KEPT])
    if value == item.state.get(f"newest_{kind}", ""):
        return {}
    item.state[f"newest_{kind}"] = value
    return {f"newest_{kind}": value}


def _list_read(item: TrackedTweet, kind: str, tweet: Tweet) -> ListRead:
    """Page down to the entries read last time; without any, the whole list (at most what the counter says)."""
    markers = _markers(item, kind)
    total = counter(tweet, kind)
    new = total - item.seen(kind) if markers else total
    return ListRead(seen_before=markers, new=new, counter=total)


def _chunks(items: Sequence[TrackedTweet], size: int) -> Iterator[list[TrackedTweet]]:
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
        final_pass: FinalPass | None = None,
    ) -> None:
        self.store = store
        self.x = x
        self.awarder = awarder
        self.requests = requests
        self.tally = tally
        self.final_pass = final_pass

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
            else:  # not known to be gone: try again next batch
                problem = result.problems.get(item.tweet_id, "no usable data")
                self.tally.error(f"X sent no usable data for tweet {item.tweet_id} ({problem}); retried next batch")
                item.failed(LOOKUP)
            return
        item.tweet = tweet
        item.done(LOOKUP)
        self.tally.tweets_scanned += 1
        fields: Fields = {name: int(getattr(tweet.metrics, name)) for name in COUNTERS.values()}
        for kind in COUNTERS:
            if kind in item.pending and not _may_have_new(tweet, kind, item.seen(kind)):
                if self._final_due(item, kind, tweet):
                    continue  # read once more before the post leaves the window
                item.done(kind)  # nothing new: no request
                if counter(tweet, kind) < item.seen(kind):
                    fields[f"seen_{kind}"] = counter(tweet, kind)  # engagements were undone; count from here
        await self._save(item, fields)

    def _final_due(self, item: TrackedTweet, kind: str, tweet: Tweet) -> bool:
        """An empty list (counter 0) holds nobody to pay, so it needs no final read."""
        due = self.final_pass is not None and self.final_pass.due(item, kind, self.store.now())
        return due and counter(tweet, kind) > 0

    async def _finish(self, item: TrackedTweet, kind: str, extra: Fields | None = None) -> None:
        """Remember the counter this work was done against, then drop it from the pending work."""
        assert item.tweet is not None
        fields: Fields = {f"seen_{kind}": counter(item.tweet, kind), **(extra or {})}
        if self.final_pass is not None:
            fields.update(self.final_pass.finished(item, kind, self.store.now()))
        await self._save(item, fields)
        item.done(kind)

    async def _save(self, item: TrackedTweet, fields: Fields) -> None:
        """Write scan state; a submission damaged meanwhile is recorded and left alone (it is skipped from now on)."""
        try:
            await self.store.update_submission_fields(item.submission.id, fields)
        except DamagedData as error:
            self.tally.error(f"submission {item.submission.id}: {error.problem}; its scan state was not saved")

    # 2. retweets, quotes, likes
    async def engager_lists(self, kind: str, tweets: list[TrackedTweet]) -> None:
        for item in tweets:
            if kind in item.pending and item.tweet is not None:
                listed = await self._engagers(kind, item, item.tweet)
                if listed is not None:
                    engagers, entries = listed
                    await self.awarder.award(item, kind, engagers)
                    await self._finish(item, kind, _new_markers(item, kind, entries, keep_old=False))

    async def _engagers(self, kind: str, item: TrackedTweet, tweet: Tweet) -> Listed | None:
        read = _list_read(item, kind, tweet)

        async def retweeters() -> Listed:
            users = [user.id for user in await self.x.retweeted_by(tweet.id, read=read)]
            return users, users

        async def quoters() -> Listed:
            quotes = await self.x.quote_tweets(tweet.id, read=read)
            return [quote.author_id for quote in quotes], [quote.id for quote in quotes]

        if kind == "retweet":
            return await self.requests.call(ENDPOINTS[kind], kind, [item], retweeters)
        if kind == "quote":
            return await self.requests.call(ENDPOINTS[kind], kind, [item], quoters)
        return await self._likers(item, tweet, read)

    async def _likers(self, item: TrackedTweet, tweet: Tweet, read: ListRead) -> Listed | None:
        token = await self.store.author_token(item.submission.author_x_id)
        if token is None:
            if counter(tweet, "like") > item.seen("like"):
                self.tally.likes_untracked += 1  # likes are private to the author since June 2024
            item.done("like")
            return None

        async def likers() -> Listed:
            users = [user.id for user in await self.x.liking_users(tweet.id, token, read=read)]
            return users, users

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
        for group in search_groups(work, todo):
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
            extra = newer_since(item, work.since_field, found.newest_id)
            if work.list_kind:  # what the list fallback would find first: the newest reposters
                extra |= _new_markers(item, work.list_kind, list(dict.fromkeys(engagers)), keep_old=True)
            await self._finish(item, work.kind, extra)
