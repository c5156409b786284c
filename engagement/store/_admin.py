"""Admin writes (delete/revoke a submission, adjust points, run-time config, manual batch trigger) and reads.

Every write is one Lua script that also appends its audit entry, so a change
and its audit trail land together or not at all.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from engagement.keys import iso_week
from engagement.models import AwardLog, Submission
from engagement.store._awards import WEEKLY_BOARD_TTL, full_log_ids
from engagement.store._base import AUDIT_MAXLEN, ArgT, StoreBase, as_int, text, text_map, texts
from engagement.store._lua import audit_lua, checked

SCAN_CHUNK = 500


# KEYS: tweet hash, tweetid key, scan set, carry-over, all-time board, audit, the tweet's log zset,
# then 4 per log: log, member's log zset, connection, weekly board of the award's week; then the boards of
# seasons and campaigns still open that the awards counted for.
# ARGV: submission id, tweet id, actor, now, revoke flag, audit maxlen, reason, log zset size as read, number of
# logs n, the n log ids, then one `logIndex|member` per extra board (which log's points to take back, from whom).
# The log hashes stay (marked revoked): they are the exactly-once guard, so a revoked award is never paid again.
DELETE_SUBMISSION_LUA = checked(
    """
local logs = tonumber(ARGV[9])
local bad = want(KEYS[1], 'hash') or want(KEYS[2], 'string') or want(KEYS[3], 'zset') or want(KEYS[4], 'hash')
  or want(KEYS[5], 'zset') or want(KEYS[6], 'stream') or want(KEYS[7], 'zset')
if bad then return {'damaged', bad} end
for i = 0, logs - 1 do
  bad = want(KEYS[8 + i * 4], 'hash') or want(KEYS[9 + i * 4], 'zset') or want(KEYS[10 + i * 4], 'hash')
    or want(KEYS[11 + i * 4], 'zset')
  if bad then return {'damaged', bad} end
end
for i = 8 + logs * 4, #KEYS do
  bad = want(KEYS[i], 'zset')
  if bad then return {'damaged', bad} end
end
if redis.call('HGET', KEYS[1], 'tweet_id') ~= ARGV[2] then return {'missing', 0, 0} end
if redis.call('ZCARD', KEYS[7]) ~= tonumber(ARGV[8]) then return {'stale', 0, 0} end
local url, category = unpack(redis.call('HMGET', KEYS[1], 'url', 'category'))
local old = (url or '') .. ' category=' .. (category or '')
local revoked, points, taken = 0, 0, {}
if ARGV[5] == '1' then
  for i = 0, logs - 1 do
    local kind = string.match(ARGV[10 + i], '([a-z]+)$')
    bad = want_int_field(KEYS[8 + i * 4], 'points') or want_int_field(KEYS[10 + i * 4], 'points')
      or want_int_field(KEYS[10 + i * 4], 'count_' .. kind)
    if bad then return {'damaged', bad} end
  end
  for i = 0, logs - 1 do
    local log, member_logs, conn, weekly = KEYS[8 + i * 4], KEYS[9 + i * 4], KEYS[10 + i * 4], KEYS[11 + i * 4]
    local f = redis.call('HMGET', log, 'discord_id', 'points', 'revoked_at')
    if f[1] and not f[3] then
      local p = tonumber(f[2]) or 0
      if redis.call('EXISTS', conn) == 1 then
        redis.call('HINCRBY', conn, 'points', -p)
        redis.call('HINCRBY', conn, 'count_' .. string.match(ARGV[10 + i], '([a-z]+)$'), -1)
      end
      if redis.call('ZSCORE', KEYS[5], f[1]) then redis.call('ZINCRBY', KEYS[5], -p, f[1]) end
      if redis.call('ZSCORE', weekly, f[1]) then redis.call('ZINCRBY', weekly, -p, f[1]) end
      redis.call('ZREM', member_logs, ARGV[10 + i])
      redis.call('HSET', log, 'revoked_at', ARGV[4], 'revoked_by', ARGV[3])
      revoked = revoked + 1
      points = points + p
      taken[i] = p
    end
  end
  for j = 8 + logs * 4, #KEYS do
    local index, member = string.match(ARGV[10 + logs + j - (8 + logs * 4)], '^(%d+)|(.+)$')
    local p = taken[tonumber(index)]
    if p and redis.call('ZSCORE', KEYS[j], member) then redis.call('ZINCRBY', KEYS[j], -p, member) end
  end
end
redis.call('DEL', KEYS[1])
if redis.call('GET', KEYS[2]) == ARGV[1] then redis.call('DEL', KEYS[2]) end
redis.call('ZREM', KEYS[3], ARGV[1])
redis.call('HDEL', KEYS[4], ARGV[1])
local new = 'deleted'
if ARGV[5] == '1' then new = 'deleted, revoked ' .. revoked .. ' awards (' .. points .. ' points)' end
"""
    + audit_lua("KEYS[6]", "ARGV[6]", "ARGV[3]", "'tweet-delete'", "ARGV[2]", "old", "new", "ARGV[4]")
    + """, 'reason', ARGV[7])
return {'ok', revoked, points}
"""
)

# KEYS: connection, the new log, member's log zset, all-time board, weekly board, audit.
# ARGV: discord id, delta, now, reason, actor, log id, weekly TTL, audit maxlen.
ADJUST_POINTS_LUA = checked(
    """
local bad = want_int_field(KEYS[1], 'points') or want(KEYS[2], 'hash') or want(KEYS[3], 'zset')
  or want(KEYS[4], 'zset') or want(KEYS[5], 'zset') or want(KEYS[6], 'stream')
if bad then return {'damaged', bad} end
if not redis.call('HGET', KEYS[1], 'discord_id') then return false end
if redis.call('EXISTS', KEYS[2]) == 1 then return false end
local tier = redis.call('HGET', KEYS[1], 'tier') or '1'
redis.call('HSET', KEYS[2], 'discord_id', ARGV[1], 'tweet_id', '', 'type', 'adjust', 'points', ARGV[2],
  'tier', tier, 'batch_id', '', 'awarded_at', ARGV[3], 'reason', ARGV[4], 'actor', ARGV[5])
redis.call('ZADD', KEYS[3], ARGV[3], ARGV[6])
local total = redis.call('HINCRBY', KEYS[1], 'points', ARGV[2])
redis.call('ZINCRBY', KEYS[4], ARGV[2], ARGV[1])
redis.call('ZINCRBY', KEYS[5], ARGV[2], ARGV[1])
redis.call('EXPIRE', KEYS[5], ARGV[7])
local before = tostring(total - tonumber(ARGV[2]))
"""
    + audit_lua("KEYS[6]", "ARGV[8]", "ARGV[5]", "'points-adjust'", "ARGV[1]", "before", "tostring(total)", "ARGV[3]")
    + """, 'reason', ARGV[4])
return total
"""
)

# One field of a settings hash (run-time config, role rewards, tier rules) and its audit entry, in one step.
# KEYS: the hash, audit. ARGV: field, new value ('' deletes), actor, now, audit maxlen, [action, `config` if none].
SET_CONFIG_LUA = checked(
    """
local bad = want(KEYS[1], 'hash') or want(KEYS[2], 'stream')
if bad then return {'damaged', bad} end
local old = redis.call('HGET', KEYS[1], ARGV[1]) or ''
if ARGV[2] == '' then redis.call('HDEL', KEYS[1], ARGV[1]) else redis.call('HSET', KEYS[1], ARGV[1], ARGV[2]) end
local action = ARGV[6] or 'config'
"""
    + audit_lua("KEYS[2]", "ARGV[5]", "ARGV[3]", "action", "ARGV[1]", "old", "ARGV[2]", "ARGV[4]")
    + """)
return old
"""
)

# KEYS: batch lock, request list, audit. ARGV: actor, now, audit maxlen.
REQUEST_BATCH_LUA = checked(
    """
local bad = want(KEYS[2], 'list') or want(KEYS[3], 'stream')
if bad then return {'damaged', bad} end
if redis.call('EXISTS', KEYS[1]) == 1 then return 'running' end
if redis.call('LLEN', KEYS[2]) > 0 then return 'queued' end
redis.call('RPUSH', KEYS[2], ARGV[1])
"""
    + audit_lua("KEYS[3]", "ARGV[3]", "ARGV[1]", "'batch-run'", "'batch'", "''", "'requested'", "ARGV[2]")
    + """)
return 'ok'
"""
)

BATCH_RUNNING = "running"
BATCH_QUEUED = "queued"
BATCH_REQUESTED = "ok"


@dataclass(frozen=True)
class DeletedSubmission:
    found: bool
    revoked_awards: int = 0
    revoked_points: int = 0


@dataclass(frozen=True)
class AwardsSeen:
    """A tweet's award logs as read before a delete: `count` ids on its log zset, `logs` the payable ones."""

    count: int
    logs: list[AwardLog]


def _week(at: float) -> str:
    return iso_week(datetime.fromtimestamp(at, UTC))


class AdminMixin(StoreBase):
    # Writes
    async def delete_submission(
        self, actor_id: str, submission: Submission, logs: AwardsSeen, *, revoke: bool, reason: str
    ) -> DeletedSubmission | None:
        """Remove a submission from tracking; with `revoke`, reverse `logs.logs` in the same step.

        None when the tweet's awards changed since `logs` was read (the caller reads again and retries).
        """
        k = self.keys
        keys = [k.tweet(submission.id), k.tweet_id(submission.tweet_id), k.tweets_recent(), k.batch_carryover()]
        keys += [k.leaderboard_alltime(), k.audit(), k.tweet_logs(submission.tweet_id)]
        for log in logs.logs:
            keys += [k.log(log.id), k.user_logs(log.discord_id), k.connection(log.discord_id)]
            keys.append(k.leaderboard_weekly(_week(log.awarded_at)))
        args: list[ArgT] = [submission.id, submission.tweet_id, actor_id, int(self.now()), "1" if revoke else "0"]
        args += [AUDIT_MAXLEN, reason, logs.count, len(logs.logs), *[log.id for log in logs.logs]]
        for board, spec in await self._open_boards(logs.logs):
            keys.append(board)
            args.append(spec)
        status, revoked, points = await self.run(DELETE_SUBMISSION_LUA, keys, args)
        if text(status) == "stale":
            return None
        return DeletedSubmission(text(status) == "ok", int(revoked), int(points))

    async def _open_boards(self, logs: list[AwardLog]) -> list[tuple[str, str]]:
        """(board, `logIndex|member`) of every season and campaign board the logs counted for that has not ended:
        a revocation takes those points back too; an ended one's results stay frozen."""
        k = self.keys
        wanted = [
            (i, board, member, record)
            for i, log in enumerate(logs)
            for board, member, record in [
                *([(k.season_board(log.season), log.discord_id, k.season(log.season))] if log.season else []),
                *([(k.season_teams(log.season), log.team, k.season(log.season))] if log.season and log.team else []),
                *[(k.campaign_board(c), log.discord_id, k.campaign(c)) for c in log.campaigns.split(",") if c],
            ]
        ]
        async with self.redis.pipeline(transaction=False) as pipe:
            for *_, record in wanted:
                pipe.hexists(record, "ended_at")
            ended = await pipe.execute()
        return [(board, f"{i}|{member}") for (i, board, member, _), done in zip(wanted, ended, strict=True) if not done]

    async def adjust_points(self, actor_id: str, discord_id: str, delta: int, reason: str) -> int | None:
        """Add `delta` (may be negative) to a member's points with a logged reason; new total, None if no record."""
        if not await self.hash_field_exists(self.keys.connection(discord_id), "discord_id"):
            return None  # checked first so a refusal leaves even the sequence alone; the script checks again
        log_id = f"adj-{await self.next_id(self.keys.adjustment_sequence())}"
        now = int(self.now())
        k = self.keys
        keys = [k.connection(discord_id), k.log(log_id), k.user_logs(discord_id), k.leaderboard_alltime()]
        keys += [k.leaderboard_weekly(_week(now)), k.audit()]
        args: list[ArgT] = [discord_id, delta, now, reason, actor_id, log_id, WEEKLY_BOARD_TTL, AUDIT_MAXLEN]
        total = await self.run(ADJUST_POINTS_LUA, keys, args)
        return None if total is None else int(total)

    async def set_config_value(self, actor_id: str, name: str, value: str) -> str:
        """Store one run-time setting ('' removes it) and audit it; returns the old stored value ('' if none)."""
        keys = [self.keys.config(), self.keys.audit()]
        args: list[ArgT] = [name, value, actor_id, int(self.now()), AUDIT_MAXLEN]
        return str(text(await self.run(SET_CONFIG_LUA, keys, args)))

    async def request_batch_run(self, actor_id: str) -> str:
        """Queue a manual batch unless one is running or already queued: BATCH_REQUESTED, _RUNNING or _QUEUED."""
        keys = [self.keys.batch_lock(), self.keys.batch_requests(), self.keys.audit()]
        args: list[ArgT] = [actor_id, int(self.now()), AUDIT_MAXLEN]
        return str(text(await self.run(REQUEST_BATCH_LUA, keys, args)))

    async def set_next_batch_at(self, at: float) -> None:
        """The worker records when its next scheduled batch runs (for /admin overview)."""
        await self.redis.set(self.keys.batch_next(), int(at))

    # Reads
    async def config_values(self) -> dict[str, str]:
        return text_map(await self.redis.hgetall(self.keys.config()))

    async def batch_running(self) -> bool:
        return bool(await self.redis.exists(self.keys.batch_lock()))

    async def next_batch_at(self) -> float | None:
        value = text(await self.redis.get(self.keys.batch_next()))
        return float(value) if value else None

    async def submission_ids_newest_first(self, category: str | None) -> list[str]:
        """Every stored submission id, newest first, optionally of one category only."""
        top = as_int(await self.redis.get(self.keys.submission_sequence()))
        found: list[str] = []
        for end in range(top, 0, -SCAN_CHUNK):
            ids = [str(n) for n in range(end, max(end - SCAN_CHUNK, 0), -1)]
            async with self.redis.pipeline(transaction=False) as pipe:
                for submission_id in ids:
                    pipe.hget(self.keys.tweet(submission_id), "category")
                categories = [text(value) for value in await pipe.execute()]
            found += [sid for sid, cat in zip(ids, categories, strict=True) if cat and category in (None, cat)]
        return found

    async def points_by_tweet(self, tweet_ids: list[str]) -> dict[str, tuple[int, int]]:
        """(awards, points) still standing on each tweet; revoked awards left out."""
        async with self.redis.pipeline(transaction=False) as pipe:
            for tweet_id in tweet_ids:
                pipe.zrange(self.keys.tweet_logs(tweet_id), 0, -1)
            entries = await pipe.execute()
        log_ids = [full_log_ids(tweet_id, texts(ids)) for tweet_id, ids in zip(tweet_ids, entries, strict=True)]
        async with self.redis.pipeline(transaction=False) as pipe:
            for log_id in (log_id for ids in log_ids for log_id in ids):
                pipe.hmget(self.keys.log(log_id), ["points", "revoked_at"])
            rows = iter(await pipe.execute())
        result = {}
        for tweet_id, ids in zip(tweet_ids, log_ids, strict=True):
            standing = [as_int(points) for points, revoked in (next(rows) for _ in ids) if not revoked]
            result[tweet_id] = (len(standing), sum(standing))
        return result

    async def in_scan_window(self, submission_ids: list[str]) -> set[str]:
        async with self.redis.pipeline(transaction=False) as pipe:
            for submission_id in submission_ids:
                pipe.zscore(self.keys.tweets_recent(), submission_id)
            scores = await pipe.execute()
        return {sid for sid, score in zip(submission_ids, scores, strict=True) if score is not None}

    async def board_rows(self, week: str | None) -> list[tuple[str, int]]:
        """(member, points) of a whole board, best first: the weekly board of `week`, else all-time."""
        board = self.keys.leaderboard_weekly(week) if week else self.keys.leaderboard_alltime()
        rows: Any = await self.redis.zrevrange(board, 0, -1, withscores=True)
        return [(str(text(member)), int(score)) for member, score in rows]

    async def connection_hashes(self, discord_ids: list[str]) -> dict[str, dict[str, str]]:
        async with self.redis.pipeline(transaction=False) as pipe:
            for discord_id in discord_ids:
                pipe.hgetall(self.keys.connection(discord_id))
            raws = await pipe.execute()
        return {discord_id: text_map(raw) for discord_id, raw in zip(discord_ids, raws, strict=True)}

    async def member_log_ids_between(self, discord_ids: list[str], start: float, end: float) -> dict[str, list[str]]:
        """Each member's award/adjustment log ids from `start` up to (not including) `end`."""
        async with self.redis.pipeline(transaction=False) as pipe:
            for discord_id in discord_ids:
                pipe.zrangebyscore(self.keys.user_logs(discord_id), start, f"({end}")
            rows = await pipe.execute()
        return {discord_id: texts(ids) for discord_id, ids in zip(discord_ids, rows, strict=True)}

    async def batch_records(self, batch_ids: list[str]) -> list[dict[str, str]]:
        async with self.redis.pipeline(transaction=False) as pipe:
            for batch_id in batch_ids:
                pipe.hgetall(self.keys.batch(batch_id))
            return [text_map(raw) for raw in await pipe.execute()]

    async def count_batches(self) -> int:
        return int(await self.redis.zcard(self.keys.batches()))

    async def batch_ids_page(self, start: int, count: int) -> tuple[list[str], int]:
        """Batch ids newest first from `start`, and how many are recorded."""
        async with self.redis.pipeline(transaction=False) as pipe:
            pipe.zrevrange(self.keys.batches(), start, start + count - 1)
            pipe.zcard(self.keys.batches())
            ids, total = await pipe.execute()
        return texts(ids), int(total)
