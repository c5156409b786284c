"""Seasons, teams and campaigns: the lists and the boards (everyone in the community), opening and ending a season,
creating a team or a campaign (admin); the same core calls as the Seasons, Teams and Campaigns pages."""

from __future__ import annotations

from fastapi import APIRouter

from engagement import seasons as core
from engagement.seasons import ProgramBoard
from rules.campaigns import Campaign
from web.api import cursors
from web.api.auth import AdminDep, MemberDep
from web.api.cursors import CursorQuery
from web.api.models import (
    NOT_FOUND,
    CampaignBoardOut,
    CampaignIn,
    CampaignOut,
    SeasonBoardOut,
    SeasonIn,
    SeasonOut,
    Standing,
    TeamIn,
    TeamOut,
)
from web.routes.analytics import community_services
from web.routes.community import PageQuery
from web.routes.seasons import campaign_by_id, season_by_id

router = APIRouter(prefix="/communities/{guild_id}")


def _campaign(campaign: Campaign) -> CampaignOut:
    return CampaignOut(
        id=campaign.id, name=campaign.name, start=campaign.start, end=campaign.end,
        multiplier=f"{campaign.multiplier:f}", match=campaign.match, value=campaign.value,
    )  # fmt: skip


def _board(board: ProgramBoard, kind: str) -> dict[str, object]:
    """The fields every board answer shares, with the cursor of the page after this one."""
    entries = [
        Standing(rank=e.rank, discord_id=e.discord_id, handle=board.names.get(e.discord_id, ""), points=e.points)
        for e in board.entries
    ]
    number = board.page + 1
    return {
        "name": board.name, "start": board.start, "end": board.end, "ended": board.ended, "page": number,
        "pages": board.pages, "entries": entries, "viewer_rank": board.viewer_rank,
        "viewer_points": board.viewer_points, "next_cursor": cursors.next_cursor(kind, number, board.pages),
    }  # fmt: skip


@router.get("/seasons")
async def seasons(viewer: MemberDep) -> list[SeasonOut]:
    """Every season, oldest first."""
    return [SeasonOut.model_validate(season) for season in await core.seasons(viewer.services.store)]


@router.post("/seasons")
async def open_season(viewer: AdminDep, body: SeasonIn) -> SeasonOut:
    """Open a season (refused while another is open); audited as `season-create`."""
    services = await community_services(viewer)
    found = await core.open_season(services, viewer.actor, body.name, body.start, body.end, body.reward_zone)
    return SeasonOut.model_validate(found)


@router.post("/seasons/end")
async def end_season(viewer: AdminDep) -> SeasonOut:
    """End the open season now: its results are frozen; audited as `season-end`."""
    return SeasonOut.model_validate(await core.end_season(viewer.services, viewer.actor))


@router.get("/seasons/{season_id}/board", responses=NOT_FOUND)
async def season_board(
    viewer: MemberDep, season_id: str, page: PageQuery = 1, cursor: CursorQuery = None
) -> SeasonBoardOut:
    season = await season_by_id(viewer.services.store, season_id)
    number = cursors.page_of("season-board", cursor, page)
    board = await core.season_board(viewer.services, season.name, number - 1, viewer.actor)
    return SeasonBoardOut.model_validate({**_board(board, "season-board"), "reward_zone": board.reward_zone})


@router.get("/teams")
async def teams(viewer: MemberDep) -> list[TeamOut]:
    return [TeamOut.model_validate(team) for team in await core.teams(viewer.services.store)]


@router.post("/teams")
async def create_team(viewer: AdminDep, body: TeamIn) -> TeamOut:
    """Create a team; audited as `team-create`."""
    return TeamOut.model_validate(await core.create_team(viewer.services, viewer.actor, body.name))


@router.get("/campaigns")
async def campaigns(viewer: MemberDep) -> list[CampaignOut]:
    """Every campaign, oldest first."""
    return [_campaign(campaign) for campaign in await core.campaigns(viewer.services.store)]


@router.post("/campaigns")
async def create_campaign(viewer: AdminDep, body: CampaignIn) -> CampaignOut:
    """Create a campaign; audited as `campaign-create`."""
    services = await community_services(viewer)
    values = (body.name, body.start, body.end, body.multiplier, body.match, body.value)
    return _campaign(await core.create_campaign(services, viewer.actor, *values))


@router.get("/campaigns/{campaign_id}/board", responses=NOT_FOUND)
async def campaign_board(
    viewer: MemberDep, campaign_id: str, page: PageQuery = 1, cursor: CursorQuery = None
) -> CampaignBoardOut:
    campaign = await campaign_by_id(viewer.services.store, campaign_id)
    number = cursors.page_of("campaign-board", cursor, page)
    board = await core.campaign_board(viewer.services, campaign.name, number - 1, viewer.actor)
    return CampaignBoardOut.model_validate(_board(board, "campaign-board"))
