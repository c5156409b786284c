"""The worker's heartbeat: written with a TTL, judged by the store's clock (alive up to 3 minutes old)."""

from __future__ import annotations

import logging

import pytest
from redis.asyncio import Redis
from redis.exceptions import ConnectionError as RedisConnectionError

from engagement.heartbeat import STALE_AFTER_SECONDS, TTL_SECONDS, WorkerState, beat, worker_state
from engagement.keys import Keys
from engagement.store import Store
from tests.conftest import FakeClock


async def test_beat_writes_the_time_with_a_ttl_of_a_few_minutes(
    store: Store, fake_redis: Redis, clock: FakeClock
) -> None:
    assert await beat([store]) == 1
    key = Keys("test").worker_heartbeat()
    assert key == "test:worker:heartbeat"
    assert await fake_redis.get(key) == str(int(clock.now))
    assert STALE_AFTER_SECONDS < await fake_redis.ttl(key) <= TTL_SECONDS <= 600


async def test_never_seen(store: Store) -> None:
    shown = await worker_state(store)
    assert (shown.alive, shown.last_seen) == (False, None)


async def test_alive_until_three_minutes_then_not_running(store: Store, clock: FakeClock) -> None:
    await beat([store])
    seen = clock.now
    clock.advance(STALE_AFTER_SECONDS)
    assert await worker_state(store) == WorkerState(alive=True, last_seen=seen)
    clock.advance(1)
    shown = await worker_state(store)
    assert (shown.alive, shown.last_seen) == (False, seen)
    await beat([store])
    assert (await worker_state(store)).alive


async def test_a_damaged_heartbeat_counts_as_none(store: Store, fake_redis: Redis) -> None:
    await fake_redis.lpush("test:worker:heartbeat", "x")
    assert (await worker_state(store)).last_seen is None
    await fake_redis.delete("test:worker:heartbeat")
    await fake_redis.set("test:worker:heartbeat", "soon")
    assert (await worker_state(store)).last_seen is None


class _Down(Store):
    async def record_heartbeat(self, at: float, ttl_seconds: int) -> None:
        raise RedisConnectionError("Redis is down")


async def test_one_community_whose_redis_fails_does_not_stop_the_others(
    store: Store, fake_redis: Redis, clock: FakeClock, caplog: pytest.LogCaptureFixture
) -> None:
    down = _Down(fake_redis, Keys("down"), clock=clock)
    with caplog.at_level(logging.WARNING):
        assert await beat([down, store]) == 1
    assert "could not write the worker heartbeat: Redis is down" in caplog.text
    assert (await worker_state(store)).alive
