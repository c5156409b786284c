"""The worker's periodic jobs: each on its interval, the first run at once, never two at once."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta

import pytest
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.interval import IntervalTrigger

from worker.heartbeat import HEARTBEAT_JOB_ID, add_heartbeat
from worker.reports import REPORT_JOB_ID, add_report_job

Adder = Callable[[AsyncIOScheduler, Callable[[], Awaitable[int]]], None]


@pytest.mark.parametrize(
    ("add", "job_id", "every"),
    [(add_heartbeat, HEARTBEAT_JOB_ID, timedelta(minutes=1)), (add_report_job, REPORT_JOB_ID, timedelta(minutes=5))],
    ids=["heartbeat", "weekly report"],
)
async def test_each_job_runs_on_its_interval_starting_now(add: Adder, job_id: str, every: timedelta) -> None:
    async def job() -> int:
        return 0

    scheduler = AsyncIOScheduler(timezone=UTC)
    add(scheduler, job)
    scheduler.start()
    try:
        registered = scheduler.get_job(job_id)
        assert registered is not None
        assert isinstance(registered.trigger, IntervalTrigger)
        assert registered.trigger.interval == every
        assert registered.next_run_time <= datetime.now(UTC) + timedelta(seconds=1)
        assert registered.max_instances == 1
    finally:
        scheduler.shutdown(wait=False)
