"""Reads behind the Prometheus metrics and the alert checks, and the alert queue the bot drains."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from engagement.store._base import ArgT, StoreBase, text
from engagement.store._lua import checked

SCAN_COUNT = 500
ALERT_QUEUE_MAX = 100

# At most one alert of a type per `interval` seconds, judged by the store's clock (so tests can move it).
# KEYS: the type's sent-at key, the queue. ARGV: now, interval, alert JSON, queue cap.
QUEUE_ALERT_LUA = checked("""
local bad = want_int_string(KEYS[1]) or want(KEYS[2], 'list')
if bad then return {'damaged', bad} end
local last = tonumber(redis.call('GET', KEYS[1]) or '')
if last and tonumber(ARGV[1]) - last < tonumber(ARGV[2]) then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'EX', tonumber(ARGV[2]) * 2)
redis.call('RPUSH', KEYS[2], ARGV[3])
redis.call('LTRIM', KEYS[2], -tonumber(ARGV[4]), -1)
return 1
""")


class MonitoringMixin(StoreBase):
    # Alert queue
    async def queue_alert(self, alert_type: str, payload: str, interval: float) -> bool:
        """Queue `payload` unless an alert of this type was queued less than `interval` seconds ago."""
        keys = [self.keys.alert_sent(alert_type), self.keys.alerts()]
        args: list[ArgT] = [int(self.now()), int(interval), payload, ALERT_QUEUE_MAX]
        return bool(await self.run(QUEUE_ALERT_LUA, keys, args))

    async def pop_alert(self) -> str | None:
        payload: Any = await self.redis.lpop(self.keys.alerts())  # one value, since no count is given
        return text(payload)

    async def return_alert(self, payload: str) -> None:
        """Put an alert that could not be posted back at the head of the queue."""
        await self.redis.lpush(self.keys.alerts(), payload)

    async def memory_use(self) -> tuple[int, int]:
        """(used_memory, maxmemory) from INFO memory, a read that works even when writes are refused."""
        info: Any = await self.redis.info("memory")
        return int(info.get("used_memory", 0)), int(info.get("maxmemory", 0))

    # Members and submissions
    async def member_ids(self) -> list[str]:
        """Every member with a record (connected now or once)."""
        prefix = self.keys.connection("1")[:-1]
        pattern = self.keys.connections_pattern()
        keys = {str(text(key)) async for key in self.redis.scan_iter(match=pattern, count=SCAN_COUNT)}
        return sorted(key.removeprefix(prefix) for key in keys)

    async def count_connected(self) -> int:
        keys = {key async for key in self.redis.scan_iter(match=self.keys.x_users_pattern(), count=SCAN_COUNT)}
        return len(keys)

    async def submissions_on_day(self, day: str) -> dict[str, int]:
        """{discord_id: submissions made} on one UTC day, from the per-member daily counters."""
        pattern = self.keys.daily_submissions_pattern(day)
        keys = sorted({str(text(key)) async for key in self.redis.scan_iter(match=pattern, count=SCAN_COUNT)})
        counts = await self.redis.mget(keys) if keys else []
        found = {key.split(":")[-2]: text(count) for key, count in zip(keys, counts, strict=True)}
        return {member: int(count) for member, count in found.items() if count and count.isdigit()}  # damaged: left out

    async def members_with_logs_since(self, discord_ids: Sequence[str], since: float) -> set[str]:
        async with self.redis.pipeline(transaction=False) as pipe:
            for discord_id in discord_ids:
                pipe.zcount(self.keys.user_logs(discord_id), since, "+inf")
            counts = await pipe.execute(raise_on_error=False)  # a damaged member's index counts as no logs
        return {member for member, count in zip(discord_ids, counts, strict=True) if isinstance(count, int) and count}

    # X rate limits as the worker last saw them (the bot has no X client of its own to ask)
    async def save_rate_limits(self, snapshot_json: str) -> None:
        await self.redis.set(self.keys.x_rate_limits(), snapshot_json)

    async def saved_rate_limits(self) -> str | None:
        return text(await self.redis.get(self.keys.x_rate_limits()))

    async def save_monitoring_snapshot(self, snapshot_json: str, ttl_seconds: int) -> None:
        await self.redis.set(self.keys.monitoring_snapshot(), snapshot_json, ex=ttl_seconds)

    async def saved_monitoring_snapshot(self) -> str | None:
        return text(await self.redis.get(self.keys.monitoring_snapshot()))

    # Boards
    async def board_counts_below(self, bounds: Sequence[float]) -> list[int]:
        """How many all-time board members have at most each bound (cumulative, for a histogram)."""
        async with self.redis.pipeline(transaction=False) as pipe:
            for bound in bounds:
                pipe.zcount(self.keys.leaderboard_alltime(), "-inf", bound)
            return [int(count) for count in await pipe.execute()]

    async def board_total(self) -> tuple[int, float]:
        """Members on the all-time board and the sum of their points."""
        rows: Any = await self.redis.zrange(self.keys.leaderboard_alltime(), 0, -1, withscores=True)
        return len(rows), float(sum(score for _, score in rows))
