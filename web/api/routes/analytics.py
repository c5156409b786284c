"""The community's analytics (admin): its figures over a period, its type and best posting times, and the saved
weekly reports, through the same core calls as the Analytics page."""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Query

from engagement import analytics
from web.api.auth import AdminDep
from web.api.models import (
    NOT_FOUND,
    AnalyticsOut,
    AnalyticsSummaryOut,
    BestTimesOut,
    CategoryOut,
    CommunityTypeOut,
    PostFiguresOut,
    ReportWeeksOut,
    TimeSlotOut,
)
from web.routes.analytics import community_services, stored_report

router = APIRouter(prefix="/communities/{guild_id}")
DaysQuery = Annotated[int, Query(description="The period: the last 1 to 90 days.")]


@router.get("/analytics")
async def community_analytics(viewer: AdminDep, days: DaysQuery = 7) -> AnalyticsOut:
    """The posts published in the last `days` days; best times always read the last 90 days."""
    found = await analytics.insights_for_community(await community_services(viewer), days)
    s = found.summary
    summary = AnalyticsSummaryOut(
        posts=s.posts,
        impressions=s.impressions,
        engagements=s.engagements,
        average_rate=s.average_rate,
        best=PostFiguresOut.model_validate(s.best) if s.best else None,
        worst=PostFiguresOut.model_validate(s.worst) if s.worst else None,
        by_category={name: CategoryOut.model_validate(figures) for name, figures in s.by_category.items()},
    )
    times = BestTimesOut(
        utc=[TimeSlotOut.model_validate(slot) for slot in found.best_utc],
        local=[TimeSlotOut.model_validate(slot) for slot in found.best_local],
    )
    mix = CommunityTypeOut.model_validate(found.mix)
    return AnalyticsOut(days=days, zone=found.zone, summary=summary, community_type=mix, best_times=times)


@router.get("/reports")
async def report_weeks(viewer: AdminDep) -> ReportWeeksOut:
    return ReportWeeksOut(weeks=await viewer.services.store.report_weeks())


@router.get("/reports/{week}", responses=NOT_FOUND)
async def weekly_report(viewer: AdminDep, week: str) -> dict[str, Any]:
    """One saved weekly report (`2026-W48`) as the worker made it: the JSON `python -m worker report` prints."""
    report: dict[str, Any] = json.loads(await stored_report(viewer, week))
    return report
