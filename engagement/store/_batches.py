"""Batch jobs: the cross-process lock, batch records, carry-over work, manual triggers.

The lock is one string key set with NX and a TTL; its value is a random token so
only the holder can renew or release it (checked inside Lua, atomically).
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from redis.exceptions import ResponseError

from engagement.errors import DamagedData
from engagement.store._awards import past_accounts
from engagement.store._base import ArgT, FieldT, StoreBase, damage_from, text, text_map, texts
from engagement.store._lua import checked

RENEW_LOCK_LUA = """
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0
"""

RELEASE_LOCK_LUA = """
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
"""

# KEYS: the batch record, the index. ARGV: batch id, start time, then field/value pairs.
START_BATCH_LUA = checked("""
local bad = want(KEYS[1], 'hash') or want(KEYS[2], 'zset')
if bad then return {'damaged', bad} end
redis.call('HSET', KEYS[1], unpack(ARGV, 3))
redis.call('ZADD', KEYS[2], ARGV[2], ARGV[1])
return 1
""")

STALE_SCAN = 20  # recent batch records checked for a `running` left by a dead worker


@dataclass(frozen=True)
class MemberForAward:
    tier: int
    past_x_ids: tuple[str, ...]


class BatchesMixin(StoreBase):
    # Lock
    async def acquire_batch_lock(self, token: str, ttl_ms: int) -> bool:
        return bool(await self.redis.set(self.keys.batch_lock(), token, nx=True, px=ttl_ms))

    async def renew_batch_lock(self, token: str, ttl_ms: int) -> bool:
        """Extend the lock if `token` still holds it; False means it was lost."""
        return bool(await self.script(RENEW_LOCK_LUA)(keys=[self.keys.batch_lock()], args=[token, ttl_ms]))

    async def release_batch_lock(self, token: str) -> bool:
        return bool(await self.script(RELEASE_LOCK_LUA)(keys=[self.keys.batch_lock()], args=[token]))

    # Records
    async def start_batch(self, fields: dict[str, ArgT]) -> str:
        """Create `{p}:batch:{id}` with status `running` and index it by start time; returns the id."""
        batch_id = await self.next_id(self.keys.batch_sequence())
        pairs = [part for pair in {**fields, "id": batch_id, "status": "running"}.items() for part in pair]
        args: list[ArgT] = [batch_id, float(fields.get("started_at", self.now())), *pairs]
        await self.run(START_BATCH_LUA, [self.keys.batch(batch_id), self.keys.batches()], args)
        return batch_id

    async def update_batch(self, batch_id: str, fields: dict[str, ArgT]) -> None:
        await self.redis.hset(self.keys.batch(batch_id), mapping=_fields(fields))

    async def batch_fields_since(self, since: float, fields: list[str]) -> list[list[str | None]]:
        """`fields` of every batch started since `since`, oldest first (one pipelined read)."""
        ids = texts(await self.redis.zrangebyscore(self.keys.batches(), since, "+inf"))
        async with self.redis.pipeline(transaction=False) as pipe:
            for batch_id in ids:
                pipe.hmget(self.keys.batch(batch_id), fields)
            return [[text(value) for value in row] for row in await pipe.execute()]

    async def get_batch(self, batch_id: str) -> dict[str, str]:
        return text_map(await self.redis.hgetall(self.keys.batch(batch_id)))

    async def recent_batch_ids(self, count: int) -> list[str]:
        """Newest first."""
        return texts(await self.redis.zrevrange(self.keys.batches(), 0, count - 1))

    async def mark_interrupted(self, current_id: str, at: float) -> list[str]:
        """Mark `interrupted` every recent batch still `running` but `current_id`: only the lock holder calls this."""
        ids = [batch_id for batch_id in await self.recent_batch_ids(STALE_SCAN) if batch_id != current_id]
        async with self.redis.pipeline(transaction=False) as pipe:
            for batch_id in ids:
                pipe.hget(self.keys.batch(batch_id), "status")
            statuses = await pipe.execute(raise_on_error=False)  # a damaged record is not "running"
        stale = [batch_id for batch_id, status in zip(ids, statuses, strict=True) if text(status) == "running"]
        for batch_id in stale:
            await self.update_batch(batch_id, {"status": "interrupted", "finished_at": int(at)})
        return stale

    async def trim_batch_history(self, keep: int) -> int:
        """Delete batch records beyond the newest `keep`."""
        old = texts(await self.redis.zrange(self.keys.batches(), 0, -keep - 1))
        if old:
            async with self.redis.pipeline(transaction=True) as pipe:
                pipe.delete(*[self.keys.batch(batch_id) for batch_id in old])
                pipe.zrem(self.keys.batches(), *old)
                await pipe.execute()
        return len(old)

    # Carry-over: submission id -> {kind of work still to do: batches in which it failed on this item}
    async def carry_over(self) -> dict[str, dict[str, int]]:
        raw = text_map(await self.redis.hgetall(self.keys.batch_carryover()))
        return {submission_id: _work(value) for submission_id, value in raw.items()}

    async def add_carry_over(self, work: dict[str, dict[str, int]]) -> None:
        if work:
            await self.redis.hset(self.keys.batch_carryover(), mapping=_encode_work(work))

    async def replace_carry_over(self, work: dict[str, dict[str, int]]) -> None:
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.delete(self.keys.batch_carryover())
            if work:
                pipe.hset(self.keys.batch_carryover(), mapping=_encode_work(work))
            await pipe.execute()

    # Reads the batch needs in bulk
    async def members_for_awards(self, discord_ids: list[str]) -> dict[str, MemberForAward | DamagedData]:
        """Current tier (the connection hash is the one place it lives) and earlier X accounts of each member."""
        async with self.redis.pipeline(transaction=False) as pipe:
            for discord_id in discord_ids:
                pipe.hmget(self.keys.connection(discord_id), ["tier", "past_x_ids"])
            rows = await pipe.execute(raise_on_error=False)
        found: dict[str, MemberForAward | DamagedData] = {}
        for discord_id, row in zip(discord_ids, rows, strict=True):
            if isinstance(row, ResponseError):
                found[discord_id] = damage_from(self.keys.connection(discord_id), "hash", row)
            else:
                found[discord_id] = MemberForAward(_tier(text(row[0])), past_accounts(text(row[1])))
        return found

    # Manual triggers
    async def request_batch(self, requested_by: str) -> None:
        await self.redis.rpush(self.keys.batch_requests(), requested_by)

    async def take_batch_requests(self) -> list[str]:
        """Pop every queued manual trigger at once: one batch answers them all."""
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.lrange(self.keys.batch_requests(), 0, -1)
            pipe.delete(self.keys.batch_requests())
            queued, _ = await pipe.execute()
        return texts(queued)


def _tier(value: str | None) -> int:
    """A missing tier is the default 1; an unreadable one is 0, which scoring refuses."""
    if value is None:
        return 1
    return int(value) if value.isdigit() else 0


def _fields(fields: dict[str, ArgT]) -> dict[FieldT, FieldT]:
    return {key: value for key, value in fields.items()}


def _encode_work(work: dict[str, dict[str, int]]) -> dict[FieldT, FieldT]:
    return {submission_id: json.dumps(kinds, sort_keys=True) for submission_id, kinds in work.items()}


def _work(value: str) -> dict[str, int]:
    """A damaged entry reads as no work, never as an error that would stop every later batch."""
    try:
        kinds = json.loads(value)
    except ValueError:
        return {}
    if not isinstance(kinds, dict):
        return {}
    return {str(kind): count for kind, count in kinds.items() if isinstance(count, int) and not isinstance(count, bool)}
