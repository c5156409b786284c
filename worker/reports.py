"""The weekly report job: every few minutes, each scanned community's due report is made (once) for the bot to post."""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Awaitable, Callable

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from redis.exceptions import RedisError

from engagement.admin import effective_settings
from engagement.analytics import build_report, make_due_report, report_text
from engagement.communities import Communities
from engagement.errors import EngagementError
from engagement.redis_conn import open_store
from engagement.settings import Settings
from worker.jobs import add_interval_job

log = logging.getLogger(__name__)

REPORT_JOB_ID = "weekly-report"
CHECK_MINUTES = 5  # a report is posted at most this long after Monday 09:00


def community_label(guild_id: int | None) -> str:
    return str(guild_id) if guild_id else "home"


def report_job(communities: Communities, settings: Settings) -> Callable[[], Awaitable[int]]:
    """One check: the due report of every scanned community that has none yet; returns how many were made."""

    async def run() -> int:
        made = 0
        try:
            left = await communities.shared.guilds_left()
            for guild_id, store in communities:
                if guild_id in left:
                    continue
                zone = (await effective_settings(settings, store)).zone
                archive = settings.report_archive_path
                made += await make_due_report(store, zone, archive, community_label(guild_id), store.now()) is not None
        except (RedisError, EngagementError, OSError) as error:  # the next check tries again
            log.warning("could not make the weekly reports: %s", error)
        return made

    return run


def add_report_job(scheduler: AsyncIOScheduler, job: Callable[[], Awaitable[int]]) -> None:
    add_interval_job(scheduler, job, REPORT_JOB_ID, "weekly report", CHECK_MINUTES * 60)


async def print_report(settings: Settings, week: str, output: str, guild_id: int | None) -> int:
    """`python -m worker report`: the week's saved report (the one posted), else the week computed now."""
    async with open_store(settings) as home:
        store = Communities(settings, home).store_for(guild_id) if guild_id else home
        zone = (await effective_settings(settings, store)).zone
        saved = await store.report(week.strip())
        report = json.loads(saved) if saved else await build_report(store, week, zone, store.now())
    sys.stdout.write((json.dumps(report, indent=2, sort_keys=True) if output == "json" else report_text(report)) + "\n")
    return 0
