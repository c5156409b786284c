"""REST API v1 (a personal API token or the session cookie): read-only views of a community, the same core calls
as the pages; lists page by opaque cursors (`next_cursor`)."""

from __future__ import annotations

from fastapi import APIRouter, Depends
from pydantic import BaseModel, ConfigDict

from engagement import admin as core
from engagement import stats
from web.api import cursors
from web.api.auth import AdminDep, MemberDep, PrincipalDep, principal
from web.api.cursors import CursorQuery
from web.routes.community import PageQuery

# Every operation is counted (per IP, per token) and authenticated before it runs.
router = APIRouter(prefix="/api/v1", dependencies=[Depends(principal)])
PROBLEM_TITLES = (
    (400, "Refused or bad cursor"),
    (401, "Not logged in, or a bad token"),
    (403, "Forbidden"),
    (409, "Refused"),
    (422, "Invalid request"),
    (429, "Too many requests"),
)
PROBLEMS: dict[int | str, dict[str, object]] = {
    status: {"description": title, "content": {"application/problem+json": {"schema": {"type": "object"}}}}
    for status, title in PROBLEM_TITLES
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
    next_cursor: str | None


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
    next_cursor: str | None


class Rule(BaseModel):
    tier: int
    type: str
    points: int
    overridden: bool


class BatchOut(BaseModel):
    """The published part of a batch record (`engagement.admin.BatchRecord`), read from it by attribute."""

    model_config = ConfigDict(from_attributes=True)

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
    next_cursor: str | None


@router.get("/me", responses=PROBLEMS)
async def me(who: PrincipalDep) -> Me:
    """The caller and their communities (a token: its own one only)."""
    if who.token is not None:
        return Me(user_id=who.actor, communities=[Community(guild_id=str(who.token.guild_id), role=who.token.role)])
    roles = who.session.roles if who.session else {}
    return Me(user_id=who.actor, communities=[Community(guild_id=str(g), role=r) for g, r in sorted(roles.items())])


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
async def tweets(viewer: AdminDep, category: str = "", page: PageQuery = 1, cursor: CursorQuery = None) -> TweetsOut:
    number = cursors.page_of("tweets", cursor, page)
    shown = await core.list_tweets(viewer.services.store, category or None, number)
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
    following = cursors.next_cursor("tweets", shown.page, shown.pages)
    return TweetsOut(page=shown.page, pages=shown.pages, total=shown.total, tweets=rows, next_cursor=following)


@router.get("/communities/{guild_id}/leaderboard", responses=PROBLEMS)
async def leaderboard(
    viewer: MemberDep, board: str = "alltime", page: PageQuery = 1, cursor: CursorQuery = None
) -> LeaderboardOut:
    weekly = stats.parse_board(board)
    kind = "board-weekly" if weekly else "board-alltime"
    shown = await stats.leaderboard_page(viewer.services, weekly, cursors.page_of(kind, cursor, page) - 1, viewer.actor)
    entries = [
        Standing(rank=e.rank, discord_id=e.discord_id, handle=shown.handles.get(e.discord_id, ""), points=e.points)
        for e in shown.entries
    ]
    number = shown.page + 1
    following = cursors.next_cursor(kind, number, shown.pages)
    return LeaderboardOut(
        weekly=shown.weekly, week=shown.week, page=number, pages=shown.pages, entries=entries, next_cursor=following
    )


@router.get("/communities/{guild_id}/rules", responses=PROBLEMS)
async def rules(viewer: AdminDep) -> list[Rule]:
    shown = await core.show_rules(viewer.services.store)
    return [
        Rule(tier=tier, type=kind, points=points, overridden=(tier, kind) in shown.overridden)
        for (tier, kind), points in sorted(shown.table.items())
    ]


@router.get("/communities/{guild_id}/batches", responses=PROBLEMS)
async def batches(viewer: AdminDep, page: PageQuery = 1, cursor: CursorQuery = None) -> BatchesOut:
    shown = await core.batch_history(viewer.services.store, cursors.page_of("batches", cursor, page))
    rows = [BatchOut.model_validate(record) for record in shown.batches]
    following = cursors.next_cursor("batches", shown.page, shown.pages)
    return BatchesOut(page=shown.page, pages=shown.pages, total=shown.total, batches=rows, next_cursor=following)


@router.get("/communities/{guild_id}/batches/{batch_id}", responses=PROBLEMS)
async def batch(viewer: AdminDep, batch_id: int) -> BatchOut:
    return BatchOut.model_validate(await core.batch_details(viewer.services.store, batch_id))
