"""kill -9 of `python -m worker --once` at random moments, then batches to completion: the same awards,
points and leaderboards as a run nobody interrupted.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
import signal
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from engagement.store import Store
from sandbox.scenario import Scenario
from tests.reliability._mode import scaled
from tests.reliability._world import (
    WorkerProcess,
    add_engagement,
    award_state,
    batch_statuses,
    lapse_lock,
    load_world,
    run_to_completion,
)

pytestmark = [pytest.mark.reliability, pytest.mark.redis]

KILLS = scaled(10, 200)
SEED = 20261123
NEW_ENGAGEMENTS = 6  # per round, so every killed batch has work to be interrupted in
IN_BATCH_DELAY = 0.05  # seconds after the batch record appears


async def batch_started(store: Store, before: int) -> None:
    """Wait until a batch newer than `before` has its record (the worker is inside the batch)."""
    while int(await store.redis.get(store.keys.batch_sequence()) or 0) <= before:  # noqa: ASYNC110 (another process)
        await asyncio.sleep(0.002)


async def kill_at_random(worker: WorkerProcess, store: Store, rng: random.Random, lifetime: float, cwd: str) -> bool:
    """Start a worker and SIGKILL it: anywhere in its life, or (every other time) inside the batch itself.

    Returns whether the kill landed before the process ended on its own.
    """
    before = int(await store.redis.get(store.keys.batch_sequence()) or 0)
    process = await worker.start(cwd)
    if rng.random() < 0.5:
        await asyncio.sleep(rng.uniform(0, lifetime))
    else:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(batch_started(store, before), timeout=lifetime * 3)
        await asyncio.sleep(rng.uniform(0, IN_BATCH_DELAY))
    landed = process.returncode is None
    if landed:
        process.send_signal(signal.SIGKILL)
    await process.communicate()
    landed = landed and process.returncode == -signal.SIGKILL
    await lapse_lock(store)
    return landed


async def test_kill_9_at_random_moments_changes_nothing_in_the_end(
    new_store: Callable[[], Store], live_world: Scenario, worker_for: Callable[[str], WorkerProcess], tmp_path: Path
) -> None:
    cwd = str(tmp_path)
    killed_store, reference_store = new_store(), new_store()
    await load_world(killed_store, live_world)
    killed = worker_for(killed_store.keys.prefix)
    started = time.perf_counter()
    await killed.run(cwd)
    lifetime = time.perf_counter() - started
    rng = random.Random(SEED)
    landed = []
    for _ in range(KILLS):
        add_engagement(live_world, rng, NEW_ENGAGEMENTS)
        landed.append(await kill_at_random(killed, killed_store, rng, lifetime, cwd))
    await run_to_completion(killed, killed_store, cwd)

    # The reference: the final world, scanned by a worker nobody interrupts.
    await load_world(reference_store, live_world)
    await run_to_completion(worker_for(reference_store.keys.prefix), reference_store, cwd)
    reference = await award_state(reference_store, live_world)
    assert reference["logs"], "the uninterrupted run must award something"
    assert sum(landed) >= KILLS // 2, f"only {sum(landed)} of {KILLS} kills hit a running worker"
    statuses = await batch_statuses(killed_store)
    assert "running" not in statuses
    assert "interrupted" in statuses, "no kill landed inside a batch"
    assert await award_state(killed_store, live_world) == reference
