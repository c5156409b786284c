"""Two `python -m worker --once` started together, again and again: the second always finds the lock held
and skips, and the pair ends with the same awards as one worker alone on the same world.

The meeting is made, not hoped for: the proxy holds the first X request (only a worker holding the lock
makes one) until the other worker has exited, so every round proves the lock.
"""

from __future__ import annotations

import asyncio
import dataclasses
import random
from collections.abc import Callable
from pathlib import Path

import pytest

from engagement.store import Store
from sandbox.scenario import Scenario
from tests.reliability import _world as world
from tests.reliability._mode import scaled
from tests.reliability._proxy import LatencyProxy
from tests.reliability._world import WorkerProcess

pytestmark = [pytest.mark.reliability, pytest.mark.redis]

ROUNDS = scaled(4, 40)
SEED = 7
ENGAGEMENTS_PER_ROUND = 12
# Longer than any held request waits (the other worker's start and exit), so the held one never times out
# and retries past the hold; the most X_TIMEOUT_SECONDS allows.
HELD_X_TIMEOUT = "120"
# Only against a hang if the lock regressed into a deadlock; a healthy round takes a few seconds.
ROUND_LIMIT_SECONDS = 120


async def output_of(process: asyncio.subprocess.Process) -> str:
    out, err = await process.communicate()
    assert process.returncode == 0, (out + err).decode()
    return (out + err).decode()


async def two_together(worker: WorkerProcess, proxy: LatencyProxy, cwd: str) -> None:
    """Start two workers at once; the one with the lock is held in its first X request until the other exits."""
    hold = proxy.hold_next_request()
    runs = [asyncio.create_task(output_of(await worker.start(cwd))) for _ in range(2)]
    try:
        done, pending = await asyncio.wait(runs, return_when=asyncio.FIRST_COMPLETED)
        # The lock holder cannot finish before the release, so the first to finish never had the lock.
        first = done.pop().result()
        assert "batch skipped: another batch is running" in first, first
        hold.release()
        (holder,) = await asyncio.gather(*pending)
    finally:
        hold.release()
    assert hold.arrived.is_set(), "no worker reached X: neither ran a batch"
    assert "skipped" not in holder, holder


async def test_two_workers_started_together_never_run_two_batches(
    new_store: Callable[[], Store],
    live_world: Scenario,
    worker_for: Callable[[str], WorkerProcess],
    slow_x: LatencyProxy,
    tmp_path: Path,
) -> None:
    cwd = str(tmp_path)
    pair_store, alone_store = new_store(), new_store()
    await world.load_world(pair_store, live_world)
    await world.load_world(alone_store, live_world)
    pair = dataclasses.replace(worker_for(pair_store.keys.prefix), x_timeout_seconds=HELD_X_TIMEOUT)
    alone = worker_for(alone_store.keys.prefix)
    rng = random.Random(SEED)
    for _ in range(ROUNDS):
        world.add_engagement(live_world, rng, ENGAGEMENTS_PER_ROUND)
        await asyncio.wait_for(two_together(pair, slow_x, cwd), ROUND_LIMIT_SECONDS)
        await world.run_to_completion(alone, alone_store, cwd)
    await world.run_to_completion(pair, pair_store, cwd)

    assert "running" not in await world.batch_statuses(pair_store)
    assert await world.award_state(pair_store, live_world) == await world.award_state(alone_store, live_world)
