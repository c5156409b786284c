"""The Analytics page (the community's figures, type and best posting times, with the two charts) and the weekly
report archive (admin only). Reads only: the same core calls as /insights and `python -m worker report`."""

from __future__ import annotations

import asyncio
import dataclasses
import json
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.exceptions import HTTPException

from engagement import analytics
from engagement.admin import effective_settings
from engagement.analytics import CommunityInsights
from engagement.analytics._advice import DAYS
from engagement.platforms import platform_title
from engagement.services import Services
from web.deps import AdminDep, InCommunity, Viewer
from web.render import page

router = APIRouter(prefix="/c/{guild_id}/analytics", include_in_schema=False)
PERIODS = (7, 30, 90)
PNG_HEADERS = {"Cache-Control": "private, max-age=60"}


def period(days: str) -> int | str:
    """The `days` query as a whole number when it is one; else as sent, for the core to refuse with its message."""
    try:
        return int(days)
    except ValueError:
        return days


async def community_services(viewer: InCommunity) -> Services:
    """The community's services with the admins' run-time settings (its time zone): what the worker's weekly
    report and /insights use, so the page shows the same local times."""
    settings = await effective_settings(viewer.services.settings, viewer.services.store)
    return dataclasses.replace(viewer.services, settings=settings)


async def _insights(viewer: Viewer, days: str) -> CommunityInsights:
    return await analytics.insights_for_community(await community_services(viewer), period(days))


@router.get("")
async def analytics_page(request: Request, viewer: AdminDep, days: str = "7") -> Response:
    found = await _insights(viewer, days)
    return await page(
        request,
        "analytics.html",
        viewer.session,
        viewer,
        found=found,
        days=period(days),
        periods=PERIODS,
        day_names=DAYS,
        grid=sorted(found.grid.values(), key=lambda slot: (slot.weekday, slot.hour)),
        platform_title=platform_title,
    )


@router.get("/best-times.png")
async def best_times_png(viewer: AdminDep, days: str = "7") -> Response:
    """The heat map of the last 90 days (weekday x hour, in the community's zone), drawn in a thread."""
    found = await _insights(viewer, days)
    slots = [vars(slot) for slot in found.grid.values()]
    png = await asyncio.to_thread(analytics.best_times_chart, slots, found.zone)
    return Response(png, media_type="image/png", headers=PNG_HEADERS)


@router.get("/mix.png")
async def mix_png(viewer: AdminDep, days: str = "7") -> Response:
    """The period's engagement mix (likes, reposts, replies, quotes) as bars, drawn in a thread."""
    found = await _insights(viewer, days)
    png = await asyncio.to_thread(analytics.mix_chart, found.mix.counts)
    return Response(png, media_type="image/png", headers=PNG_HEADERS)


@router.get("/reports")
async def reports(request: Request, viewer: AdminDep) -> Response:
    weeks = await viewer.services.store.report_weeks()
    archive = viewer.services.settings.report_archive_path
    return await page(request, "reports.html", viewer.session, viewer, weeks=weeks, archive=archive)


async def stored_report(viewer: InCommunity, week: str) -> str:
    """The saved JSON of `week`: a malformed week is refused (400), a week without a report is a 404."""
    analytics.week_bounds(week, (await community_services(viewer)).settings.zone)
    text = await viewer.services.store.report(week)
    if text is None:
        raise HTTPException(404, f"No report for {week}.")
    return text


def _as_text(payload: str) -> str | None:
    """The report as text; None when the stored JSON is not a report (edited by hand, say)."""
    try:
        report: Any = json.loads(payload)
        return analytics.report_text(report)
    except (ValueError, KeyError, TypeError, IndexError):
        return None


# Before /reports/{week}: that one would take "2026-W48.json" for a week.
@router.get("/reports/{week}.json")
async def report_json(viewer: AdminDep, week: str) -> Response:
    return Response(await stored_report(viewer, week), media_type="application/json")


@router.get("/reports/{week}")
async def report(request: Request, viewer: AdminDep, week: str) -> Response:
    text = _as_text(await stored_report(viewer, week))
    return await page(request, "report.html", viewer.session, viewer, week=week, text=text)
