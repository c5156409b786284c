"""Engager lists (reposters, quoters, likers): one request per post, paged down to the entries read last time."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Protocol

from engagement.batch._parts import ScanParts
from engagement.batch._selection import TrackedTweet
from engagement.batch._writes import Fields
from engagement.errors import DamagedData
from engagement.x import ListRead, XAuthError, budget_key
from engagement.x.models import Tweet

log = logging.getLogger(__name__)

MARKERS_KEPT = 3  # newest entry ids kept per list; paging stops once two of them are met again
ENDPOINTS = {"retweet": "retweeted_by", "quote": "quote_tweets", "like": "liking_users"}
COUNTERS = {"retweet": "repost_count", "quote": "quote_count", "like": "like_count", "reply": "reply_count"}
# The searches that stand in for a list, and where each keeps when it last covered everything.
SEARCHED_AT = {"retweet": "retweet_searched_at", "quote": "quote_searched_at"}
Listed = tuple[list[str], list[str]]  # (engager ids, the list's entry ids), newest first


def counter(tweet: Tweet, kind: str) -> int:
    return int(getattr(tweet.metrics, COUNTERS[kind]))


def markers(item: TrackedTweet, kind: str) -> tuple[str, ...]:
    """The newest entries of `kind`'s list as last read (ids, newest first)."""
    return tuple(part for part in item.state.get(f"newest_{kind}", "").split(",") if part.isdigit())


def new_markers(item: TrackedTweet, kind: str, newest_first: list[str], *, keep_old: bool) -> Fields:
    """Remember the list's newest entries. A search sees only what is new: the old markers follow it."""
    old = markers(item, kind) if keep_old else ()
    value = ",".join(list(dict.fromkeys([*newest_first, *old]))[:MARKERS_KEPT])
    if value == item.state.get(f"newest_{kind}", ""):
        return {}
    item.state[f"newest_{kind}"] = value
    return {f"newest_{kind}": value}


def list_read(item: TrackedTweet, kind: str, tweet: Tweet) -> ListRead:
    """Page down to the entries read last time; without any, the whole list (at most what the counter says)."""
    seen_before = markers(item, kind)
    total = counter(tweet, kind)
    new = total - item.seen(kind) if seen_before else total
    return ListRead(seen_before=seen_before, new=new, counter=total)


class AuthorTokens(Protocol):
    """Where the batch finds a post author's X user token (likes are shown only to the author)."""

    async def access_token(self, x_user_id: str) -> str | None: ...

    async def refused(self, x_user_id: str) -> None:
        """X refused that token (revoked or expired early): do not use it again as it is."""


class ListReader:
    """Reads the engager lists of the posts whose counter moved, and pays who is on them."""

    def __init__(self, parts: ScanParts, tokens: AuthorTokens) -> None:
        self.store, self.x, self.awarder, self.requests = parts.store, parts.x, parts.awarder, parts.requests
        self.tally, self.writes, self.tokens = parts.tally, parts.writes, tokens

    async def read(self, kind: str, items: Iterable[TrackedTweet]) -> None:
        for item in items:
            if kind in item.pending and item.tweet is not None:
                listed = await self._engagers(kind, item, item.tweet)
                if listed is not None:
                    engagers, entries = listed
                    await self.awarder.award(item, kind, engagers)
                    extra = new_markers(item, kind, entries, keep_old=False)
                    if kind in SEARCHED_AT:  # the list covered all of it up to now: the search need not again
                        extra[SEARCHED_AT[kind]] = round(self.store.now(), 3)
                    await self.writes.finish(item, kind, counter(item.tweet, kind), extra)

    async def _engagers(self, kind: str, item: TrackedTweet, tweet: Tweet) -> Listed | None:
        read = list_read(item, kind, tweet)

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

    async def _token(self, author_x_id: str) -> str | None:
        try:
            return await self.tokens.access_token(author_x_id)
        except DamagedData as problem:  # that author's likes wait; the rest of the batch goes on
            log.warning("likes on %s's posts not read: %s", author_x_id, problem)
            return None

    async def _likers(self, item: TrackedTweet, tweet: Tweet, read: ListRead) -> Listed | None:
        token = await self._token(item.submission.author_x_id)
        if token is None:
            if counter(tweet, "like") > item.seen("like"):
                self.tally.likes_untracked += 1  # likes are private to the author since June 2024
            item.done("like")
            return None

        async def likers() -> Listed:
            try:
                users = [user.id for user in await self.x.liking_users(tweet.id, token, read=read)]
            except XAuthError:
                await self.tokens.refused(item.submission.author_x_id)  # revoked at X: refreshed or re-signed next
                raise
            return users, users

        # A user token can be revoked or expire: that is this tweet's problem, not the endpoint's.
        # Its budget is the author's own (X counts user-context requests per user).
        budget = budget_key(ENDPOINTS["like"], token)
        return await self.requests.call(ENDPOINTS["like"], "like", [item], likers, fatal=(), budget=budget)
