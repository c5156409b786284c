"""A batch's Threads step: each tracked Threads post read with its author's own token.

Insights (views, likes, replies, reposts, quotes, shares) go into the post's snapshots like an X post's
counters; its top-level replies (`GET /{media-id}/replies`, which name the replying accounts by username) are
paid as replies to the linked members who wrote them, by the same awarder, rules and guard as on X. Likes,
reposts and quotes on Threads do not name who gave them: they feed analytics only.
Replies are read only when the reply counter moved past the last count read (or, like X, when the final pass
is due); each read pages down to the newest reply seen last time (`newest_reply` on the submission).
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from engagement.analytics import PUBLISHED_AT, counters_write, threads_counters
from engagement.batch._awarding import Awarder
from engagement.batch._cadence import GONE_AT, MOVED_AT, READ_AT
from engagement.batch._record import BatchTally
from engagement.batch._selection import LOOKUP, TrackedTweet
from engagement.batch._writes import Fields, ScanWrites
from engagement.platforms import THREADS, account_ref, native_id
from engagement.threads._access import ThreadsAccess
from engagement.threads.models import (
    ThreadsAuthError,
    ThreadsCounters,
    ThreadsError,
    ThreadsPostGone,
    ThreadsRateLimited,
    ThreadsReply,
)
from engagement.x.models import Tweet, TweetMetrics

log = logging.getLogger(__name__)

REPLY = "reply"
NEWEST_REPLY = "newest_reply"
STEP = "threads"
_COUNTER_FIELDS = {"like_count": "likes", "repost_count": "reposts", "reply_count": "replies", "quote_count": "quotes"}


def _as_tweet(item: TrackedTweet, counters: ThreadsCounters) -> Tweet:
    """The post with its counters, in the shape the awarder and the farming rules share with X posts."""
    metrics = TweetMetrics(counters.likes, counters.reposts, counters.replies, counters.quotes, 0, counters.views)
    author = account_ref(THREADS, item.submission.author_handle)
    published = item.moment(PUBLISHED_AT) or float(item.submission.submitted_at)
    created = datetime.fromtimestamp(published, UTC)
    return Tweet(item.tweet_id, author, item.submission.author_handle, "", item.tweet_id, created, metrics)


def _as_reply(post_ref: str, reply: ThreadsReply) -> Tweet:
    author = account_ref(THREADS, reply.username)
    return Tweet(reply.id, author, reply.username, reply.text, post_ref, reply.created_at)


class ThreadsScanner:
    """The Threads part of one batch."""

    def __init__(self, access: ThreadsAccess | None, awarder: Awarder, tally: BatchTally, writes: ScanWrites) -> None:
        self.access, self.awarder, self.tally, self.writes = access, awarder, tally, writes
        self.stopped = ""  # why the rest of this batch's Threads reads were left for the next batch

    async def scan(self, posts: list[TrackedTweet]) -> None:
        if posts and self.access is None:
            self._stop(f"{len(posts)} Threads posts not read: Threads is not set up on this server")
        for item in posts:
            if self.stopped:
                item.failed_all()
                continue
            await self._read(item)
        await self.writes.flush()

    def _stop(self, why: str) -> None:
        if not self.stopped:
            self.stopped = why
            self.tally.error(f"{why}; the rest of the Threads work is carried over")

    async def _read(self, item: TrackedTweet) -> None:
        assert self.access is not None
        author = item.submission.author_x_id
        token = await self.access.tokens.access_token(author)
        if token is None:
            self.tally.error(f"Threads post {item.tweet_id}: its author's Threads sign-in is missing or expired")
            item.failed_all()
            return
        try:
            await self._read_with(item, token)
        except ThreadsPostGone:
            self.tally.error(f"Threads post {item.tweet_id} (submission {item.submission.id}) is deleted")
            item.pending.clear()
            await self.writes.save(item, {GONE_AT: round(self.awarder.store.now(), 3)})
        except ThreadsAuthError:
            await self.access.tokens.refused(author)
            self.tally.error(f"Threads refused the token of the author of {item.tweet_id}; retried next batch")
            item.failed_all()
        except ThreadsRateLimited as error:
            self._stop(f"Threads rate limit reached (resets at {error.reset_at:.0f})")
            item.failed_all()
        except ThreadsError as error:
            self.tally.error(f"Threads post {item.tweet_id}: {error}; retried next batch")
            item.failed_all()

    async def _read_with(self, item: TrackedTweet, token: str) -> None:
        assert self.access is not None
        media_id = native_id(item.tweet_id)
        if LOOKUP in item.pending or item.tweet is None:
            await self._insights(item, await self.access.client.insights(token, media_id))
        if REPLY not in item.pending or item.tweet is None:
            return
        replies_now = item.tweet.metrics.reply_count
        if replies_now == 0 or (replies_now <= item.seen(REPLY) and not self._final_due(item)):
            item.done(REPLY)
            return
        newest = item.state.get(NEWEST_REPLY) or None
        replies, newest_now = await self.access.client.replies(token, media_id, newest)
        posts = [_as_reply(item.tweet_id, reply) for reply in replies]
        await self.awarder.award(item, REPLY, [post.author_id for post in posts], posts)
        extra: Fields = {NEWEST_REPLY: newest_now} if newest_now else {}
        await self.writes.finish(item, REPLY, replies_now, extra)

    def _final_due(self, item: TrackedTweet) -> bool:
        final = self.writes.final_pass
        return final is not None and final.due(item, REPLY, self.awarder.store.now())

    async def _insights(self, item: TrackedTweet, counters: ThreadsCounters) -> None:
        if counters.missing:
            self.tally.error(f"Threads post {item.tweet_id}: insights without {', '.join(counters.missing)}")
        item.tweet = _as_tweet(item, counters)
        item.done(LOOKUP)
        self.tally.tweets_scanned += 1
        now = round(self.awarder.store.now(), 3)
        fields: Fields = {name: getattr(counters, source) for name, source in _COUNTER_FIELDS.items()}
        fields[READ_AT] = now
        if any(item.state.get(name, "") != str(value) for name, value in fields.items() if name != READ_AT):
            fields[MOVED_AT] = now
        published = item.tweet.created_at.timestamp()
        await self.writes.snapshot(counters_write(item.submission.id, threads_counters(counters), published, now))
        item.state.update({name: str(value) for name, value in fields.items()})
        await self.writes.save(item, fields)
