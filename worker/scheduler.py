"""Scheduling only: one APScheduler job that runs a batch, then schedules itself a random interval later.

The next run is drawn between BATCH_INTERVAL_MIN and BATCH_INTERVAL_MAX minutes
after each run *ends* (a DateTrigger replaced after every run), so one process
never runs two batches at once; the Redis lock keeps processes apart.
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Awaitable, Callable
from contextlib import suppress
from datetime import UTC, datetime, timedelta

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.date import DateTrigger
from redis.exceptions import RedisError

from engagement.batch import BatchOutcome
from engagement.communities import Communities, CommunityBatches
from engagement.errors import EngagementError
from engagement.settings import Settings
from engagement.storage import is_storage_full
from engagement.store import Store
from engagement.x import XClient

log = logging.getLogger(__name__)

JOB_ID = "batch"
REQUEST_POLL_SECONDS = 5.0


class BatchRunner:
    """Runs the batches of every served community for the worker, one run at a time in this process, never
    after shutdown began (one community: today's `run_batch`; several: a cycle sharing X's budget)."""

    def __init__(self, store: Store, x: XClient, settings: Settings, shutdown: asyncio.Event) -> None:
        self.store, self.x, self.settings, self.shutdown = store, x, settings, shutdown
        self.batches = CommunityBatches(Communities(settings, store), x, settings)
        self._one_at_a_time = asyncio.Lock()

    async def run(self) -> BatchOutcome | None:
        if self.shutdown.is_set():
            return None
        async with self._one_at_a_time:
            try:
                return await self.batches.run(self.shutdown)
            except (RedisError, EngagementError) as error:  # the next run tries again
                if is_storage_full(error):
                    log.error("batch could not run: Redis storage is full (maxmemory), nothing can be recorded")
                else:
                    log.error("batch could not run: %s", error)
                return None

    async def idle(self) -> None:
        """Wait for a running batch to finish its current step and end."""
        async with self._one_at_a_time:
            pass


class BatchScheduler:
    """The one scheduled job, re-armed with a fresh random delay after each run."""

    def __init__(
        self, job: Callable[[], Awaitable[object]], settings: Settings, rng: random.Random | None = None
    ) -> None:
        self.scheduler = AsyncIOScheduler(timezone=UTC)
        self._job = job
        self._minutes = (settings.batch_interval_min, settings.batch_interval_max)
        self._rng = rng or random.Random()

    def next_delay(self) -> timedelta:
        return timedelta(minutes=self._rng.uniform(*self._minutes))

    def schedule(self, delay: timedelta | None = None) -> datetime:
        """(Re)arm the job `delay` from now (a random interval when None); returns when it will run."""
        run_at = datetime.now(UTC) + (self.next_delay() if delay is None else delay)
        self.scheduler.add_job(
            self.run_job,
            DateTrigger(run_date=run_at),
            id=JOB_ID,
            name="engagement batch",
            replace_existing=True,
            max_instances=1,
            misfire_grace_time=None,
        )
        return run_at

    async def run_job(self) -> None:
        try:
            await self._job()
        finally:
            if self.scheduler.running:
                log.info("next batch at %s", self.schedule().isoformat(timespec="seconds"))

    def next_run_at(self) -> float | None:
        """When the job runs next (epoch seconds), None when it is not scheduled."""
        job = self.scheduler.get_job(JOB_ID)
        return job.next_run_time.timestamp() if job is not None and job.next_run_time else None

    def start(self, first_delay: timedelta = timedelta(0)) -> None:
        """Start with the first batch `first_delay` from now (at once by default, so a restart loses no time)."""
        self.schedule(first_delay)
        self.scheduler.start()

    def stop(self) -> None:
        if self.scheduler.running:
            self.scheduler.shutdown(wait=False)


async def poll_batch_requests(
    stores: Store | Communities,
    run: Callable[[], Awaitable[object]],
    shutdown: asyncio.Event,
    every: float = REQUEST_POLL_SECONDS,
) -> None:
    """Manual triggers: run the batches whenever something was pushed on a community's `{p}:batch:requests`."""
    while not shutdown.is_set():
        requests: list[str] = []
        for store in [stores] if isinstance(stores, Store) else [store for _, store in stores]:
            try:
                requests += await store.take_batch_requests()
            except RedisError as error:
                log.warning("could not read manual batch requests: %s", error)
        if requests:
            log.info("manual batch requested by %s", ", ".join(requests))
            await run()
        with suppress(TimeoutError):
            await asyncio.wait_for(shutdown.wait(), every)
