"""Who the caller is, a community's overview (admin) and its leaderboards (everyone in it)."""

from __future__ import annotations

from fastapi import APIRouter

from engagement import admin as core
from engagement import stats
from web.api import cursors
from web.api.auth import AdminDep, MemberDep, PrincipalDep
from web.api.cursors import CursorQuery
from web.api.models import Community, LeaderboardOut, Me, OverviewOut, Standing
from web.routes.community import PageQuery

router = APIRouter()


@router.get("/me")
async def me(who: PrincipalDep) -> Me:
    """The caller and their communities (a token: its own one only)."""
    if who.token is not None:
        return Me(user_id=who.actor, communities=[Community(guild_id=str(who.token.guild_id), role=who.token.role)])
    roles = who.session.roles if who.session else {}
    return Me(user_id=who.actor, communities=[Community(guild_id=str(g), role=r) for g, r in sorted(roles.items())])


@router.get("/communities/{guild_id}/overview")
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


@router.get("/communities/{guild_id}/leaderboard")
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
