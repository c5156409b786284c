"""The worker's monitor: never raises for Redis, reports an outage once Redis is back, stops cleanly."""

from __future__ import annotations

import asyncio

import pytest
from redis.asyncio import Redis

from engagement.alerts import REDIS_UNREACHABLE, Alert
from engagement.keys import Keys
from engagement.monitoring import BatchMonitor
from engagement.store import Store
from tests.conftest import FakeClock


class Limits:
    def __init__(self) -> None:
        self.values: dict[str, dict[str, float | int | None]] = {}

    def snapshot(self) -> dict[str, dict[str, float | int | None]]:
        return self.values


async def queued(store: Store) -> list[Alert]:
    return [Alert.from_json(payload) for payload in await store.redis.lrange(store.keys.alerts(), 0, -1)]


async def test_redis_unreachable_is_logged_then_queued_on_recovery(
    store: Store, clock: FakeClock, caplog: pytest.LogCaptureFixture
) -> None:
    dead = Redis.from_url("redis://127.0.0.1:1/0", socket_connect_timeout=0.2)
    offline = Store(dead, Keys("test"), clock=clock)
    monitor = BatchMonitor(offline, Limits(), 24)
    assert await monitor.after_batch() == []  # never raises: the worker keeps running
    assert "Redis is unreachable" in caplog.text
    direct = monitor.outage.failed(ConnectionError("again"))
    assert direct is None  # the first failure already produced this hour's direct alert
    await dead.aclose()

    clock.advance(10 * 60)
    monitor.store = store  # Redis answers again
    await monitor.after_batch()
    (alert,) = await queued(store)
    assert (alert.type, alert.message) == (REDIS_UNREACHABLE, "Redis was unreachable for about 10 minutes.")


async def _until_saved(store: Store, expected: int) -> None:
    """Wait (at most 5 s, however slow the machine) for the watcher to save `expected` as the next batch time."""
    for _ in range(500):
        if await store.next_batch_at() == expected:
            return
        await asyncio.sleep(0.01)
    pytest.fail(f"the next batch time {expected} was not saved within 5 s")


async def test_after_a_batch_the_next_batch_time_is_saved_and_stop_is_prompt(store: Store, clock: FakeClock) -> None:
    """A batch ending in the same step as the stop must not leave the watcher running (a lost cancel)."""
    monitor = BatchMonitor(store, Limits(), 24)
    planned = [clock.now + 1800]
    monitor.next_batch = lambda: planned[0]
    monitor.start()
    await _until_saved(store, int(planned[0]))

    async def batch() -> str:
        planned[0] += 600
        return "done"

    assert await monitor.checked(batch)() == "done"
    await _until_saved(store, int(planned[0]))
    async with asyncio.timeout(2):
        await monitor.checked(batch)()
        await monitor.stop()
    assert monitor._watcher is not None
    assert monitor._watcher.done()


async def test_every_scanned_community_is_told_the_next_batch_time(store: Store, clock: FakeClock) -> None:
    other = Store(store.redis, Keys(f"{store.keys.prefix}-2"), clock=clock)
    monitor = BatchMonitor(store, Limits(), 24)
    monitor.next_batch = lambda: clock.now + 1800

    async def scanned() -> list[Store]:
        return [store, other]

    monitor.also_scanned = scanned
    await monitor.refresh()
    assert await store.next_batch_at() == await other.next_batch_at() == int(clock.now + 1800)
