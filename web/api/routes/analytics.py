"""The community's analytics (admin): its figures over a period, its type and best posting times, and the saved
weekly reports, through the same core calls as the Analytics page."""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from engagement import analytics
from engagement.analytics import PlatformFigures
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


class PlatformOut(BaseModel):
    """One platform's part of the period, from its own posts only."""

    posts: int
    engagements: int
    impressions: int = Field(description="Impressions on X, views on Threads.")
    average_rate: float
    community_type: CommunityTypeOut


class AnalyticsByPlatformOut(AnalyticsOut):
    platforms: dict[str, PlatformOut] = Field(
        default_factory=dict,
        description="Per platform (x, threads) when the community has Threads posts in the last 90 days; else empty.",
    )


def platform_out(figures: PlatformFigures) -> PlatformOut:
    s = figures.summary
    mix = CommunityTypeOut.model_validate(figures.mix)
    return PlatformOut(
        posts=s.posts, engagements=s.engagements, impressions=s.impressions, average_rate=s.average_rate,
        community_type=mix,
    )  # fmt: skip


@router.get("/analytics")
async def community_analytics(viewer: AdminDep, days: DaysQuery = 7) -> AnalyticsByPlatformOut:
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
    platforms = {name: platform_out(figures) for name, figures in found.platforms.items()}
    return AnalyticsByPlatformOut(
        days=days, zone=found.zone, summary=summary, community_type=mix, best_times=times, platforms=platforms
    )


@router.get("/reports")
async def report_weeks(viewer: AdminDep) -> ReportWeeksOut:
    return ReportWeeksOut(weeks=await viewer.services.store.report_weeks())


@router.get("/reports/{week}", responses=NOT_FOUND)
async def weekly_report(viewer: AdminDep, week: str) -> dict[str, Any]:
    """One saved weekly report (`2026-W48`) as the worker made it: the JSON `python -m worker report` prints."""
    report: dict[str, Any] = json.loads(await stored_report(viewer, week))
    return report
