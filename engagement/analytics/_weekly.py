"""The weekly report's schedule: Monday 09:00 in the community's time zone, for the week that just ended."""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from engagement.analytics._archive import append_report
from engagement.analytics._insights import build_report
from engagement.analytics._report import Report, week_of
from engagement.queues import drain
from engagement.store import Store

log = logging.getLogger(__name__)

REPORT_WEEKDAY, REPORT_HOUR = 0, 9  # Monday 09:00
DRAIN_MAX = 5


def due_week(now: float, zone: ZoneInfo) -> str:
    """The newest week whose report is due at `now`: last week from Monday 09:00 on, else the week before."""
    local = datetime.fromtimestamp(now, zone)
    monday = (local - timedelta(days=local.weekday())).replace(hour=REPORT_HOUR, minute=0, second=0, microsecond=0)
    last_week_day = monday - timedelta(days=3 if local >= monday else 10)
    return week_of(last_week_day.timestamp(), zone)


async def make_due_report(store: Store, zone: ZoneInfo, archive: Path, community: str, now: float) -> Report | None:
    """Make, keep, queue for the bot and archive the due week's report, once; None when it exists already or
    the community had no post in the 90 days to that week's end (nothing to report yet)."""
    week = due_week(now, zone)
    if await store.report(week) is not None:
        return None
    report = await build_report(store, week, zone, now)
    if report["summary"]["posts"] == 0 and not await _has_posts(store, report):
        return None
    if not await store.save_report(week, json.dumps(report, sort_keys=True)):
        return None  # another worker made it first
    append_report(archive, report, community)
    log.info("weekly report %s made for community %s (%d posts)", week, community, report["summary"]["posts"])
    return report


async def _has_posts(store: Store, report: Report) -> bool:
    """Whether any post was read in the 90 days before the report's week ended."""
    return bool(await store.analytics_post_ids(report["end"] - 90 * 86_400, report["end"]))


async def drain_reports(store: Store, post: Callable[[Report], Awaitable[None]], limit: int = DRAIN_MAX) -> int:
    """Post the reports the worker queued, oldest first; one that cannot be posted waits for the next round, one
    that is not a report (edited by hand) is logged and dropped."""

    async def post_payload(payload: str) -> None:
        try:
            report = json.loads(payload)
        except ValueError:
            report = None
        if not isinstance(report, dict) or "week" not in report:
            log.warning("a queued weekly report is unreadable; dropped")
            return
        await post(report)

    return await drain(store.pop_report, store.return_report, post_payload, limit)
