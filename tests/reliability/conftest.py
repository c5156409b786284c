"""Fixtures of the reliability suite: an engaged world on a started fake X (real clock), and a worker for it."""

from __future__ import annotations

import time
import uuid
from collections.abc import AsyncIterator, Callable

import pytest
from redis.asyncio import Redis

from engagement.store import Store
from sandbox.scenario import Scenario
from tests.reliability._proxy import LatencyProxy
from tests.reliability._world import WorkerProcess, engaged_scenario, lift_rate_limits, prefixed_store

X_LATENCY = 0.02  # seconds per request, far below X's own but enough that a batch outlasts a process start


@pytest.fixture
async def live_world() -> AsyncIterator[Scenario]:
    """A world whose fake X runs on the real clock, as worker subprocesses read it."""
    scenario = engaged_scenario(seed=11, clock=time.time)
    lift_rate_limits(scenario)
    await scenario.fake.start()
    yield scenario
    await scenario.fake.close()


@pytest.fixture
async def slow_x(live_world: Scenario) -> AsyncIterator[LatencyProxy]:
    proxy = LatencyProxy(live_world.fake.base_url, X_LATENCY)
    await proxy.start()
    yield proxy
    await proxy.close()


@pytest.fixture
def worker_for(redis_url: str, live_world: Scenario, slow_x: LatencyProxy) -> Callable[[str], WorkerProcess]:
    """Workers on the test's Redis under a given key prefix, reaching the fake X through the latency proxy."""

    def make(prefix: str) -> WorkerProcess:
        return WorkerProcess(redis_url, prefix, slow_x.base_url, live_world.fake.bearer_token)

    return make


@pytest.fixture
async def new_store(real_redis: Redis) -> AsyncIterator[Callable[..., Store]]:
    """Stores on the test server, each under a fresh key prefix; their keys are deleted afterwards."""
    prefixes: list[str] = []

    def make(clock: Callable[[], float] | None = None) -> Store:
        prefixes.append(f"rel-{uuid.uuid4().hex[:8]}")
        return prefixed_store(real_redis, prefixes[-1], clock)

    yield make
    for prefix in prefixes:
        keys = [key async for key in real_redis.scan_iter(match=f"{prefix}:*", count=1000)]
        if keys:
            await real_redis.delete(*keys)
