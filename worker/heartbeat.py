"""The heartbeat job: every minute while the worker runs, `{p}:worker:heartbeat` in each community it scans."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from redis.exceptions import RedisError

from engagement.heartbeat import BEAT_SECONDS, beat
from engagement.store import Store
from worker.jobs import add_interval_job

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
    """The job every `BEAT_SECONDS`, the first one at once."""
    add_interval_job(scheduler, job, HEARTBEAT_JOB_ID, "worker heartbeat", BEAT_SECONDS)
