"""Two `python -m worker --once` started together, again and again: never two batches at once, and the
same final awards as one worker alone on the same world.
"""

from __future__ import annotations

import asyncio
import random
import uuid
from collections.abc import Callable

import pytest
from redis.asyncio import Redis

from engagement.store import Store
from sandbox.scenario import Scenario
from tests.reliability._mode import scaled
from tests.reliability._world import (
    WorkerProcess,
    add_engagement,
    award_state,
    batch_statuses,
    load_world,
    prefixed_store,
    run_to_completion,
)

pytestmark = [pytest.mark.reliability, pytest.mark.redis]

ROUNDS = scaled(4, 40)
SEED = 7
ENGAGEMENTS_PER_ROUND = 12  # enough work that two batches started together would overlap


async def most_running_at_once(store: Store, done: asyncio.Event) -> int:
    """Poll the batch records until `done`: the largest number seen `running` at the same moment."""
    most = 0
    while not done.is_set():
        ids = await store.recent_batch_ids(10)
        async with store.redis.pipeline(transaction=False) as pipe:
            for batch_id in ids:
                pipe.hget(store.keys.batch(batch_id), "status")
            statuses = await pipe.execute()
        most = max(most, statuses.count("running"))
        await asyncio.sleep(0.001)
    return most


async def two_together(worker: WorkerProcess, store: Store, cwd: str) -> tuple[list[str], int]:
    """Start two workers at once; returns what each printed and the most batches seen running together."""
    done = asyncio.Event()
    watcher = asyncio.create_task(most_running_at_once(store, done))
    results = await asyncio.gather(worker.run(cwd), worker.run(cwd))
    done.set()
    for code, output in results:
        assert code == 0, output
    return [output for _, output in results], await watcher


async def test_two_workers_started_together_never_run_two_batches(
    real_redis: Redis, live_world: Scenario, worker_for: Callable[[str], WorkerProcess], tmp_path: object
) -> None:
    cwd = str(tmp_path)
    pair_store = prefixed_store(real_redis, f"rel-{uuid.uuid4().hex[:8]}")
    alone_store = prefixed_store(real_redis, f"rel-{uuid.uuid4().hex[:8]}")
    try:
        await load_world(pair_store, live_world)
        await load_world(alone_store, live_world)
        pair, alone = worker_for(pair_store.keys.prefix), worker_for(alone_store.keys.prefix)
        rng = random.Random(SEED)
        skipped = 0
        for _ in range(ROUNDS):
            add_engagement(live_world, rng, ENGAGEMENTS_PER_ROUND)
            outputs, most_running = await two_together(pair, pair_store, cwd)
            assert most_running <= 1
            skipped += sum("skipped" in output for output in outputs)
            await run_to_completion(alone, alone_store, cwd)
        await run_to_completion(pair, pair_store, cwd)

        assert "running" not in await batch_statuses(pair_store)
        assert skipped > 0, "the two workers never met: the test proved nothing about the lock"
        assert await award_state(pair_store, live_world) == await award_state(alone_store, live_world)
    finally:
        for store in (pair_store, alone_store):
            keys = [key async for key in real_redis.scan_iter(match=f"{store.keys.prefix}:*")]
            if keys:
                await real_redis.delete(*keys)
