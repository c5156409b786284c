"""The heartbeat job: every minute while the worker runs, `{p}:worker:heartbeat` in each community it scans."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.interval import IntervalTrigger
from redis.exceptions import RedisError

from engagement.heartbeat import BEAT_SECONDS, beat
from engagement.store import Store

log = logging.getLogger(__name__)

HEARTBEAT_JOB_ID = "heartbeat"


def heartbeat_job(scanned: Callable[[], Awaitable[list[Store]]]) -> Callable[[], Awaitable[int]]:
    """One beat: the heartbeat in every community scanned now (one that left the server gets none)."""

    async def run() -> int:
        try:
            stores = await scanned()
        except RedisError as error:
            log.warning("could not list the communities for the heartbeat: %s", error)
            return 0
        return await beat(stores)

    return run


def add_heartbeat(scheduler: AsyncIOScheduler, job: Callable[[], Awaitable[int]]) -> None:
    """The job every `BEAT_SECONDS`, the first one at once (the scheduler may be started before or after)."""
    scheduler.add_job(
        job,
        IntervalTrigger(seconds=BEAT_SECONDS, timezone=UTC),
        id=HEARTBEAT_JOB_ID,
        name="worker heartbeat",
        replace_existing=True,
        max_instances=1,
        coalesce=True,
        next_run_time=datetime.now(UTC),
    )
