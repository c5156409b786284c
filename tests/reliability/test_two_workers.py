"""Two `python -m worker --once` started together, again and again: never two batches at once, and the
same final awards as one worker alone on the same world.
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import Callable
from pathlib import Path

import pytest

from engagement.store import Store
from sandbox.scenario import Scenario
from tests.reliability import _world as world
from tests.reliability._mode import scaled
from tests.reliability._world import WorkerProcess

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
    new_store: Callable[[], Store], live_world: Scenario, worker_for: Callable[[str], WorkerProcess], tmp_path: Path
) -> None:
    cwd = str(tmp_path)
    pair_store, alone_store = new_store(), new_store()
    await world.load_world(pair_store, live_world)
    await world.load_world(alone_store, live_world)
    pair, alone = worker_for(pair_store.keys.prefix), worker_for(alone_store.keys.prefix)
    rng = random.Random(SEED)
    skipped = 0
    for _ in range(ROUNDS):
        world.add_engagement(live_world, rng, ENGAGEMENTS_PER_ROUND)
        outputs, most_running = await two_together(pair, pair_store, cwd)
        assert most_running <= 1
        skipped += sum("skipped" in output for output in outputs)
        await world.run_to_completion(alone, alone_store, cwd)
    await world.run_to_completion(pair, pair_store, cwd)

    assert "running" not in await world.batch_statuses(pair_store)
    assert skipped > 0, "the two workers never met: the test proved nothing about the lock"
    assert await world.award_state(pair_store, live_world) == await world.award_state(alone_store, live_world)
