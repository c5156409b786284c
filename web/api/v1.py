"""REST API v1 (session cookie auth for now): read-only views of a community, the same core calls as the pages."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel

from engagement import admin as core
from engagement import stats
from web.deps import AdminDep, MemberDep, SessionDep
from web.routes.community import PageQuery

router = APIRouter(prefix="/api/v1")
PROBLEMS: dict[int | str, dict[str, object]] = {
    status: {"description": title, "content": {"application/problem+json": {}}}
    for status, title in ((401, "Not logged in"), (403, "Forbidden"), (400, "Refused"), (422, "Invalid request"))
}


class Community(BaseModel):
    guild_id: str
    role: str


class Me(BaseModel):
    user_id: str
    communities: list[Community]


class OverviewOut(BaseModel):
    window_hours: int
    tweets_in_window: int
    connected_members: int
    top_member: str | None
    top_points: int | None
    last_batch_id: str | None
    batch_running: bool
    next_batch_at: float | None
    x_requests_24h: int
    x_cost_usd_24h: float


class TweetOut(BaseModel):
    submission_id: str
    tweet_id: str
    url: str
    author_handle: str
    submitter: str
    category: str
    submitted_at: int
    awards: int
    points: int
    tracking: bool


class TweetsOut(BaseModel):
    page: int
    pages: int
    total: int
    tweets: list[TweetOut]


class Standing(BaseModel):
    rank: int
    discord_id: str
    handle: str
    points: int


class LeaderboardOut(BaseModel):
    weekly: bool
    week: str
    page: int
    pages: int
    entries: list[Standing]


class Rule(BaseModel):
    tier: int
    type: str
    points: int
    overridden: bool


class BatchOut(BaseModel):
    id: str
    status: str
    started_at: int
    finished_at: int
    awards: int
    points_awarded: int
    x_requests: int
    cost_usd: float


class BatchesOut(BaseModel):
    page: int
    pages: int
    total: int
    batches: list[BatchOut]


@router.get("/me", responses=PROBLEMS)
async def me(session: SessionDep) -> Me:
    rows = [Community(guild_id=str(guild), role=role) for guild, role in sorted(session.roles.items())]
    return Me(user_id=session.user_id, communities=rows)


@router.get("/communities/{guild_id}/overview", responses=PROBLEMS)
async def overview(viewer: AdminDep) -> OverviewOut:
    shown = await core.overview(viewer.services.store, viewer.services.settings.batch_window_hours)
    m = shown.monitoring
    return OverviewOut(
        window_hours=shown.window_hours,
        tweets_in_window=m.tweets_in_window,
        connected_members=m.connected_members,
        top_member=shown.top.discord_id if shown.top else None,
        top_points=shown.top.points if shown.top else None,
        last_batch_id=shown.last_batch.id if shown.last_batch else None,
        batch_running=shown.batch_running,
        next_batch_at=shown.next_batch_at,
        x_requests_24h=sum(m.x_requests_24h.values()),
        x_cost_usd_24h=m.x_cost_usd_24h,
    )


@router.get("/communities/{guild_id}/tweets", responses=PROBLEMS)
async def tweets(viewer: AdminDep, category: str = "", page: PageQuery = 1) -> TweetsOut:
    shown = await core.list_tweets(viewer.services.store, category or None, page)
    rows = [
        TweetOut(
            submission_id=row.submission.id,
            tweet_id=row.submission.tweet_id,
            url=row.submission.url,
            author_handle=row.submission.author_handle,
            submitter=row.submission.submitter_discord_id,
            category=row.submission.category,
            submitted_at=row.submission.submitted_at,
            awards=row.awards,
            points=row.points,
            tracking=row.tracking,
        )
        for row in shown.rows
    ]
    return TweetsOut(page=shown.page, pages=shown.pages, total=shown.total, tweets=rows)


@router.get("/communities/{guild_id}/leaderboard", responses=PROBLEMS)
async def leaderboard(viewer: MemberDep, board: str = "alltime", page: PageQuery = 1) -> LeaderboardOut:
    shown = await stats.leaderboard_page(viewer.services, stats.parse_board(board), page - 1, viewer.actor)
    entries = [
        Standing(rank=e.rank, discord_id=e.discord_id, handle=shown.handles.get(e.discord_id, ""), points=e.points)
        for e in shown.entries
    ]
    return LeaderboardOut(weekly=shown.weekly, week=shown.week, page=shown.page + 1, pages=shown.pages, entries=entries)


@router.get("/communities/{guild_id}/rules", responses=PROBLEMS)
async def rules(viewer: AdminDep) -> list[Rule]:
    shown = await core.show_rules(viewer.services.store)
    return [
        Rule(tier=tier, type=kind, points=points, overridden=(tier, kind) in shown.overridden)
        for (tier, kind), points in sorted(shown.table.items())
    ]


def _batch(record: core.BatchRecord) -> BatchOut:
    return BatchOut(
        id=record.id,
        status=record.status,
        started_at=record.started_at,
        finished_at=record.finished_at,
        awards=record.awards,
        points_awarded=record.points_awarded,
        x_requests=record.x_requests,
        cost_usd=record.cost_usd,
    )


@router.get("/communities/{guild_id}/batches", responses=PROBLEMS)
async def batches(viewer: AdminDep, page: PageQuery = 1) -> BatchesOut:
    shown = await core.batch_history(viewer.services.store, page)
    rows = [_batch(record) for record in shown.batches]
    return BatchesOut(page=shown.page, pages=shown.pages, total=shown.total, batches=rows)


@router.get("/communities/{guild_id}/batches/{batch_id}", responses=PROBLEMS)
async def batch(viewer: AdminDep, batch_id: int) -> BatchOut:
    return _batch(await core.batch_details(viewer.services.store, batch_id))
