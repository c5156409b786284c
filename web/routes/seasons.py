"""Seasons, teams and campaigns: every member reads them and their boards; admins open and end seasons, create and
assign teams, create, fill and end campaigns. The same core calls as /season, /team and /campaign, so the checks
and the audit entries are the same."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from starlette.exceptions import HTTPException

from engagement import seasons as core
from engagement.seasons import Season
from engagement.store import Store
from rules.campaigns import MATCHES, Campaign
from web.deps import AdminDep, FormDep, MemberDep, field
from web.render import page
from web.routes.admin import _done
from web.routes.analytics import community_services
from web.routes.community import PageQuery
from web.routes.members import _whole

router = APIRouter(prefix="/c/{guild_id}", include_in_schema=False)
TeamsPageQuery = Annotated[int, Query(alias="teams", ge=1, le=100_000)]


async def season_by_id(store: Store, season_id: str) -> Season:
    """The season with this id; a 404 for any other."""
    found = next((season for season in await core.seasons(store) if season.id == season_id), None)
    if found is None:
        raise HTTPException(404, f"No season with the id {season_id[:20]!r}.")
    return found


async def campaign_by_id(store: Store, campaign_id: str) -> Campaign:
    """The campaign with this id; a 404 for any other."""
    found = next((campaign for campaign in await core.campaigns(store) if campaign.id == campaign_id), None)
    if found is None:
        raise HTTPException(404, f"No campaign with the id {campaign_id[:20]!r}.")
    return found


def season_state(season: Season, now: float) -> str:
    """`upcoming`, `running`, `ending` (its end has passed: the bot freezes it within a minute) or `ended`."""
    if season.ended:
        return "ended"
    if now < season.start:
        return "upcoming"
    return "running" if now < season.end else "ending"


def campaign_state(campaign: Campaign, now: float) -> str:
    return "upcoming" if now < campaign.start else "running" if now < campaign.end else "ended"


@router.get("/seasons")
async def seasons_page(request: Request, viewer: MemberDep) -> Response:
    now = viewer.services.clock()
    every = [(season, season_state(season, now)) for season in reversed(await core.seasons(viewer.services.store))]
    open_id = await viewer.services.store.open_season_id()
    current = next((season for season, _ in every if season.id == open_id), None)
    zone = (await community_services(viewer)).settings.time_zone
    return await page(request, "seasons.html", viewer.session, viewer, seasons=every, current=current, zone=zone)


@router.post("/seasons")
async def season_open(request: Request, viewer: AdminDep, form: FormDep) -> Response:
    values = (field(form, "name"), field(form, "start") or "now", field(form, "end"))
    services = await community_services(viewer)
    found = await core.open_season(services, viewer.actor, *values, _whole(field(form, "reward_zone")))
    notice = f"Season {found.name} opened (reward zone: top {found.reward_zone})."
    return await _done(request, viewer, "seasons", notice)


@router.post("/seasons/end")
async def season_end(request: Request, viewer: AdminDep, _: FormDep) -> Response:
    found = await core.end_season(viewer.services, viewer.actor)
    notice = f"Season {found.name} ended: its results are final; the bot posts them in the submissions channel soon."
    return await _done(request, viewer, "seasons", notice)


# Before /seasons/{season_id}: that one would take "3.csv" for an id.
@router.get("/seasons/{season_id}.csv")
async def season_csv(viewer: AdminDep, season_id: str) -> Response:
    """The season's whole board with its reward zone marked: the CSV the bot posts at its end."""
    season = await season_by_id(viewer.services.store, season_id)
    _, table = await core.season_results(viewer.services, season)
    headers = {"Content-Disposition": f'attachment; filename="season-{season.id}-results.csv"'}
    return Response(table, media_type="text/csv; charset=utf-8", headers=headers)


@router.get("/seasons/{season_id}")
async def season_page(
    request: Request, viewer: MemberDep, season_id: str, number: PageQuery = 1, teams: TeamsPageQuery = 1
) -> Response:
    season = await season_by_id(viewer.services.store, season_id)
    board = await core.season_board(viewer.services, season.name, number - 1, viewer.actor)
    by_team = await core.season_board(viewer.services, season.name, teams - 1, viewer.actor, by_team=True)
    state = season_state(season, viewer.services.clock())
    return await page(
        request, "season.html", viewer.session, viewer, season=season, state=state, board=board, teams=by_team
    )


@router.get("/teams")
async def teams_page(request: Request, viewer: MemberDep) -> Response:
    every = await core.teams(viewer.services.store)
    mine = await viewer.services.store.member_team(viewer.actor)
    return await page(request, "teams.html", viewer.session, viewer, teams=every, mine=mine)


@router.post("/teams")
async def team_create(request: Request, viewer: AdminDep, form: FormDep) -> Response:
    found = await core.create_team(viewer.services, viewer.actor, field(form, "name"))
    return await _done(request, viewer, "teams", f"Team {found.name} created.")


@router.post("/teams/assign")
async def team_assign(request: Request, viewer: AdminDep, form: FormDep) -> Response:
    member = field(form, "member").strip()
    found, _ = await core.join_team(viewer.services, member, field(form, "team"), actor=viewer.actor)
    return await _done(request, viewer, "teams", f"Member {member} is now in team {found.name}.")


@router.get("/campaigns")
async def campaigns_page(request: Request, viewer: MemberDep) -> Response:
    now = viewer.services.clock()
    every = [(c, campaign_state(c, now)) for c in reversed(await core.campaigns(viewer.services.store))]
    settings = (await community_services(viewer)).settings
    return await page(
        request, "campaigns.html", viewer.session, viewer, campaigns=every, matches=MATCHES,
        categories=settings.categories, zone=settings.time_zone,
    )  # fmt: skip


@router.post("/campaigns")
async def campaign_create(request: Request, viewer: AdminDep, form: FormDep) -> Response:
    services = await community_services(viewer)
    values = [field(form, name) for name in ("name", "start", "end", "multiplier", "match", "value")]
    values[1] = values[1] or "now"
    found = await core.create_campaign(services, viewer.actor, *values)
    return await _done(request, viewer, "campaigns", f"Campaign {found.name} created (x{found.multiplier:f}).")


@router.post("/campaigns/posts")
async def campaign_add_post(request: Request, viewer: AdminDep, form: FormDep) -> Response:
    found = await core.add_campaign_post(viewer.services, viewer.actor, field(form, "name"), field(form, "url"))
    return await _done(request, viewer, "campaigns", f"The post is in campaign {found.name} (x{found.multiplier:f}).")


@router.post("/campaigns/end")
async def campaign_end(request: Request, viewer: AdminDep, form: FormDep) -> Response:
    found = await core.end_campaign(viewer.services, viewer.actor, field(form, "name"))
    return await _done(request, viewer, "campaigns", f"Campaign {found.name} ended.")


@router.get("/campaigns/{campaign_id}")
async def campaign_page(request: Request, viewer: MemberDep, campaign_id: str, number: PageQuery = 1) -> Response:
    campaign = await campaign_by_id(viewer.services.store, campaign_id)
    board = await core.campaign_board(viewer.services, campaign.name, number - 1, viewer.actor)
    picked = await viewer.services.store.campaign_post_ids([campaign.id]) if campaign.match == "posts" else {}
    state = campaign_state(campaign, viewer.services.clock())
    posts = sorted(picked.get(campaign.id, set()))
    return await page(
        request, "campaign.html", viewer.session, viewer, campaign=campaign, state=state, board=board, posts=posts
    )
