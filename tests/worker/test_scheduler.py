from __future__ import annotations

import asyncio
import random
from datetime import UTC, datetime, timedelta

import pytest
from apscheduler.triggers.date import DateTrigger

from engagement.batch import COMPLETED
from engagement.communities import Communities
from engagement.settings import Settings, load_settings
from engagement.store import Store
from engagement.x import XClient
from tests.conftest import FakeClock
from worker.scheduler import JOB_ID, BatchRunner, BatchScheduler, poll_batch_requests


@pytest.fixture
def settings() -> Settings:
    return load_settings(batch_interval_min=30, batch_interval_max=60)


def minutes_until(moment: datetime) -> float:
    return (moment - datetime.now(UTC)).total_seconds() / 60


async def test_one_job_rescheduled_at_a_random_interval_after_each_run(settings: Settings) -> None:
    runs = 0

    async def job() -> None:
        nonlocal runs
        runs += 1

    scheduler = BatchScheduler(job, settings, rng=random.Random(7))
    scheduler.start(first_delay=timedelta(minutes=5))
    try:
        (registered,) = scheduler.scheduler.get_jobs()
        assert registered.id == JOB_ID
        assert registered.max_instances == 1
        assert isinstance(registered.trigger, DateTrigger)
        assert 4.9 < minutes_until(registered.next_run_time) <= 5
        delays = []
        for _ in range(20):
            await scheduler.run_job()
            (rescheduled,) = scheduler.scheduler.get_jobs()
            delays.append(minutes_until(rescheduled.next_run_time))
        assert runs == 20
        assert all(29.9 < delay <= 60 for delay in delays)
        assert max(delays) - min(delays) > 5  # jittered, not a fixed interval
    finally:
        scheduler.stop()


async def test_the_scheduler_fires_the_job_and_rearms_it_even_after_a_failure(settings: Settings) -> None:
    ran = asyncio.Event()

    async def failing_job() -> None:
        ran.set()
        raise RuntimeError("batch blew up")

    scheduler = BatchScheduler(failing_job, settings)
    scheduler.start()  # first run at once
    try:
        await asyncio.wait_for(ran.wait(), 5)
        for _ in range(50):  # the re-arm happens right after the job returns
            jobs = scheduler.scheduler.get_jobs()
            if jobs and minutes_until(jobs[0].next_run_time) > 1:
                break
            await asyncio.sleep(0.01)
        (next_job,) = scheduler.scheduler.get_jobs()
        assert 29.9 < minutes_until(next_job.next_run_time) <= 60
    finally:
        scheduler.stop()


async def test_runner_runs_one_batch_at_a_time_and_none_after_shutdown(
    store: Store, x_client: XClient, settings: Settings, clock: FakeClock
) -> None:
    shutdown = asyncio.Event()
    runner = BatchRunner(store, x_client, settings, shutdown)
    first, second = await asyncio.gather(runner.run(), runner.run())
    assert first is not None
    assert second is not None
    assert (first.status, second.status) == (COMPLETED, COMPLETED)  # queued in-process, not skipped
    shutdown.set()
    assert await runner.run() is None
    await runner.idle()


async def _runs_polled(stores: Store | Communities) -> int:
    """How many runs the poller starts for the requests waiting (it stops the loop at the first)."""
    shutdown = asyncio.Event()
    runs = 0

    async def run() -> None:
        nonlocal runs
        runs += 1
        shutdown.set()

    await asyncio.wait_for(poll_batch_requests(stores, run, shutdown, every=0.01), 5)
    return runs


async def test_manual_request_runs_a_batch(store: Store) -> None:
    await store.request_batch("111")
    await store.request_batch("222")
    assert await _runs_polled(store) == 1
    assert await store.take_batch_requests() == []


OTHER_GUILD = 1200000000000000007


async def test_runner_runs_a_batch_for_every_community_and_skips_a_server_left(
    store: Store, x_client: XClient, clock: FakeClock
) -> None:
    settings = load_settings(_env_file=None, discord_guild_id=1100000000000000003, allowed_guilds=str(OTHER_GUILD))
    runner = BatchRunner(store, x_client, settings, asyncio.Event())
    communities = runner.batches.communities
    other = communities.store_for(OTHER_GUILD)
    home_outcome = await runner.run()
    assert home_outcome is not None
    assert (len(await store.recent_batch_ids(10)), len(await other.recent_batch_ids(10))) == (1, 1)
    await communities.left(OTHER_GUILD)
    await runner.run()
    assert (len(await store.recent_batch_ids(10)), len(await other.recent_batch_ids(10))) == (2, 1)


async def test_a_batch_requested_in_any_community_runs_the_batches(store: Store) -> None:
    settings = load_settings(_env_file=None, discord_guild_id=1100000000000000003, allowed_guilds=str(OTHER_GUILD))
    communities = Communities(settings, store)
    other = communities.store_for(OTHER_GUILD)
    await other.request_batch("333")
    assert await _runs_polled(communities) == 1
    assert await other.take_batch_requests() == []
