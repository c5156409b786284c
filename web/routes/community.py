"""Pages every member of a community sees: its landing page and the leaderboards."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from engagement import stats
from web.deps import MemberDep
from web.render import page, see_other

PageQuery = Annotated[int, Query(alias="page", ge=1, le=100_000)]
router = APIRouter(prefix="/c/{guild_id}", include_in_schema=False)


@router.get("/")
async def landing(viewer: MemberDep) -> Response:
    where = "overview" if viewer.is_admin else "leaderboard"
    return see_other(f"/c/{viewer.guild_id}/{where}")


@router.get("/leaderboard")
async def leaderboard(request: Request, viewer: MemberDep, board: str = "alltime", number: PageQuery = 1) -> Response:
    weekly = stats.parse_board(board)
    shown = await stats.leaderboard_page(viewer.services, weekly, number - 1, viewer.actor)
    return await page(request, "leaderboard.html", viewer.session, viewer, board=shown, board_name=board)
