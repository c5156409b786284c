"""The worker's heartbeat job: every minute, in every community it scans (not one whose server it left)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.interval import IntervalTrigger

from engagement.communities import Communities
from engagement.heartbeat import worker_state
from engagement.settings import load_settings
from engagement.store import Store
from worker.heartbeat import HEARTBEAT_JOB_ID, add_heartbeat, heartbeat_job

OTHER_GUILD = 1200000000000000007


async def test_the_job_runs_every_minute_starting_now() -> None:
    async def job() -> int:
        return 0

    scheduler = AsyncIOScheduler(timezone=UTC)
    add_heartbeat(scheduler, job)
    scheduler.start()
    try:
        registered = scheduler.get_job(HEARTBEAT_JOB_ID)
        assert registered is not None
        assert isinstance(registered.trigger, IntervalTrigger)
        assert registered.trigger.interval == timedelta(minutes=1)
        assert registered.next_run_time <= datetime.now(UTC) + timedelta(seconds=1)
        assert registered.max_instances == 1
    finally:
        scheduler.shutdown(wait=False)


async def test_every_scanned_community_gets_the_heartbeat(store: Store) -> None:
    settings = load_settings(allowed_guilds=(OTHER_GUILD,))
    communities = Communities(settings, store)
    other = communities.store_for(OTHER_GUILD)
    assert await heartbeat_job(communities.scanned)() == 2
    assert (await worker_state(communities.home)).alive
    assert (await worker_state(other)).alive


async def test_a_community_whose_server_was_left_gets_none(store: Store) -> None:
    settings = load_settings(allowed_guilds=(OTHER_GUILD,))
    communities = Communities(settings, store)
    await communities.left(OTHER_GUILD)
    assert await heartbeat_job(communities.scanned)() == 1
    assert (await worker_state(communities.home)).alive
    assert (await worker_state(communities.store_for(OTHER_GUILD))).last_seen is None
