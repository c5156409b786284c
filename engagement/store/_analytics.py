"""Analytics: each post's counters over time (snapshots), the index of posts by publishing time, weekly reports."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from redis.exceptions import ResponseError

from engagement.errors import DamagedData
from engagement.store._base import ArgT, StoreBase, damage_from, text, text_map, texts
from engagement.store._lua import checked

SNAPSHOT_TTL = 120 * 86_400  # a post's series outlives the 90 days best posting times look back
READ_CHUNK = 500

# Append one snapshot; a snapshot in the same thinning bucket as the newest one replaces it (`analytics._series`).
# KEYS: the post's snapshot list, the posts index. ARGV: entry (`bucket|fields`), bucket, published at,
# submission id, ttl seconds.
APPEND_SNAPSHOT_LUA = checked("""
local bad = want(KEYS[1], 'list') or want(KEYS[2], 'zset')
if bad then return {'damaged', bad} end
local last = redis.call('LINDEX', KEYS[1], -1)
if last and string.match(last, '^([^|]*)|') == ARGV[2] then
  redis.call('LSET', KEYS[1], -1, ARGV[1])
else
  redis.call('RPUSH', KEYS[1], ARGV[1])
end
redis.call('EXPIRE', KEYS[1], ARGV[5])
redis.call('ZADD', KEYS[2], ARGV[3], ARGV[4])
return {'ok'}
""")

# Keep a report and queue it for the bot in one step, once per week: a second worker making the same week's
# report (or a retry) neither overwrites nor posts it twice. KEYS: reports hash, queue. ARGV: week, JSON.
SAVE_REPORT_LUA = checked("""
local bad = want(KEYS[1], 'hash') or want(KEYS[2], 'list')
if bad then return {'damaged', bad} end
if redis.call('HSETNX', KEYS[1], ARGV[1], ARGV[2]) == 0 then return 0 end
redis.call('RPUSH', KEYS[2], ARGV[2])
return 1
""")


@dataclass(frozen=True)
class SnapshotWrite:
    submission_id: str
    published_at: float
    bucket: str
    entry: str


@dataclass(frozen=True)
class StoredPost:
    """A post's submission hash and its raw snapshot entries, as `analytics` reads them."""

    submission: dict[str, str]
    snapshots: list[str]


class AnalyticsMixin(StoreBase):
    async def append_snapshots(self, writes: Sequence[SnapshotWrite]) -> dict[str, DamagedData]:
        """Append each post's snapshot in one round trip; returns the posts whose keys were damaged (unwritten)."""
        if not writes:
            return {}
        script = self.script(APPEND_SNAPSHOT_LUA)
        async with self.redis.pipeline(transaction=False) as pipe:
            for write in writes:
                keys = [self.keys.snapshots(write.submission_id), self.keys.analytics_posts()]
                args: list[ArgT] = [write.entry, write.bucket, write.published_at, write.submission_id, SNAPSHOT_TTL]
                await script(keys=keys, args=args, client=pipe)
            results = await pipe.execute(raise_on_error=False)
        failed = next((result for result in results if isinstance(result, ResponseError)), None)
        if failed is not None:
            raise failed
        return {
            write.submission_id: DamagedData(str(text(result[1])))
            for write, result in zip(writes, results, strict=True)
            if isinstance(result, list) and len(result) == 2
        }

    async def forget_analytics_before(self, before: float) -> int:
        """Drop posts published before `before` from the index (their snapshot lists expire by themselves)."""
        return int(await self.redis.zremrangebyscore(self.keys.analytics_posts(), "-inf", f"({before}"))

    async def analytics_post_ids(self, since: float, until: float) -> list[str]:
        """Submission ids of the posts published in [since, until), oldest first."""
        key = self.keys.analytics_posts()
        try:
            return texts(await self.redis.zrangebyscore(key, since, f"({until}"))
        except ResponseError as error:
            raise damage_from(key, "sorted set", error) from error

    async def stored_posts(self, submission_ids: Sequence[str], last: int | None = None) -> list[StoredPost]:
        """Each post's submission and snapshots (only its `last` newest when given), in chunks of pipelined reads;
        unreadable parts read as empty."""
        found: list[StoredPost] = []
        for start in range(0, len(submission_ids), READ_CHUNK):
            chunk = submission_ids[start : start + READ_CHUNK]
            async with self.redis.pipeline(transaction=False) as pipe:
                for submission_id in chunk:
                    pipe.hgetall(self.keys.tweet(submission_id))
                    pipe.lrange(self.keys.snapshots(submission_id), -last if last else 0, -1)
                replies = await pipe.execute(raise_on_error=False)
            for raw_hash, raw_list in zip(replies[::2], replies[1::2], strict=True):
                submission = {} if isinstance(raw_hash, ResponseError) else text_map(raw_hash)
                found.append(StoredPost(submission, [] if isinstance(raw_list, ResponseError) else texts(raw_list)))
        return found

    async def post_snapshots(self, submission_id: str) -> list[str]:
        key = self.keys.snapshots(submission_id)
        try:
            return texts(await self.redis.lrange(key, 0, -1))
        except ResponseError as error:
            raise damage_from(key, "list", error) from error

    async def save_report(self, week: str, payload: str) -> bool:
        """Keep the week's report and queue it for the bot; False when that week's report exists already."""
        return bool(await self.run(SAVE_REPORT_LUA, [self.keys.reports(), self.keys.reports_queue()], [week, payload]))

    async def report(self, week: str) -> str | None:
        return text(await self.redis.hget(self.keys.reports(), week))

    async def report_weeks(self) -> list[str]:
        """The weeks with a saved report, newest first."""
        return sorted(texts(await self.redis.hkeys(self.keys.reports())), reverse=True)

    async def pop_report(self) -> str | None:
        """The oldest report waiting to be posted."""
        value = await self.redis.lpop(self.keys.reports_queue())
        return text(value) if isinstance(value, str | bytes) else None

    async def return_report(self, payload: str) -> None:
        """Put a report that could not be posted back at the front of the queue."""
        await self.redis.lpush(self.keys.reports_queue(), payload)

    async def weekly_board_top(self, week: str, count: int) -> list[tuple[str, int]]:
        """(member, points) of the top of an ISO week's board (the boards' weeks are UTC)."""
        top: list[Any] = await self.redis.zrevrange(self.keys.leaderboard_weekly(week), 0, count - 1, withscores=True)
        return [(str(text(member)), int(points)) for member, points in top]
