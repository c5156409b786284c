"""The worker's periodic jobs besides the batch: each an APScheduler interval job, the first run at once."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.interval import IntervalTrigger


def add_interval_job(
    scheduler: AsyncIOScheduler, job: Callable[[], Awaitable[int]], job_id: str, name: str, seconds: float
) -> None:
    """`job` every `seconds`, never two at once, missed runs merged (the scheduler may be started before or after)."""
    scheduler.add_job(
        job,
        IntervalTrigger(seconds=seconds, timezone=UTC),
        id=job_id,
        name=name,
        replace_existing=True,
        max_instances=1,
        coalesce=True,
        next_run_time=datetime.now(UTC),
    )
