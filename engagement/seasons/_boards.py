"""The boards of seasons, teams and campaigns, a page at a time like the all-time one, and a season's results."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from typing import TYPE_CHECKING

from engagement.models import LeaderboardEntry
from engagement.seasons._campaigns import find_campaign
from engagement.seasons._seasons import Season, find_season
from engagement.seasons._teams import teams
from engagement.shop import registered_address
from engagement.validation import discord_id
from rules.wording import plural

if TYPE_CHECKING:
    from engagement.services import Services

PAGE_SIZE = 10
RESULTS_MAX = 100_000  # rows in a season's results CSV


@dataclass(frozen=True)
class ProgramBoard:
    kind: str
    """`season`, `teams` or `campaign`."""
    name: str
    start: float
    end: float
    ended: bool
    reward_zone: int
    page: int
    pages: int
    entries: list[LeaderboardEntry]
    names: dict[str, str]
    """Member -> X handle, or team id -> team name."""
    viewer_rank: int | None
    viewer_points: int


async def _page(
    services: Services, board: str, page: int, viewer: str | None
) -> tuple[int, int, list[LeaderboardEntry], int | None, int]:
    store = services.store
    entries, total = await store.board_page(board, max(page, 0) * PAGE_SIZE, PAGE_SIZE)
    pages = max((total + PAGE_SIZE - 1) // PAGE_SIZE, 1)
    if page >= pages:
        page = pages - 1
        entries, total = await store.board_page(board, page * PAGE_SIZE, PAGE_SIZE)
    rank, points = await store.board_rank(board, viewer) if viewer else (None, 0)
    return max(page, 0), pages, entries, rank, points


async def season_board(
    services: Services, name: str | None, page: int, viewer_id: str, *, by_team: bool = False
) -> ProgramBoard:
    """A season's board (the open one, else the newest, when `name` is None), or its teams' board."""
    season = await find_season(services.store, name)
    keys = services.store.keys
    board = keys.season_teams(season.id) if by_team else keys.season_board(season.id)
    viewer = None if by_team else discord_id(viewer_id)
    page, pages, entries, rank, points = await _page(services, board, page, viewer)
    if by_team:
        names = {team.id: team.name for team in await teams(services.store)}
    else:
        names = await services.store.handles_for_members([entry.discord_id for entry in entries])
    kind = "teams" if by_team else "season"
    return ProgramBoard(
        kind, season.name, season.start, season.end, season.ended, season.reward_zone, page, pages, entries, names,
        rank, points,
    )  # fmt: skip


async def campaign_board(services: Services, name: object, page: int, viewer_id: str) -> ProgramBoard:
    campaign = await find_campaign(services.store, name)
    board = services.store.keys.campaign_board(campaign.id)
    page, pages, entries, rank, points = await _page(services, board, page, discord_id(viewer_id))
    names = await services.store.handles_for_members([entry.discord_id for entry in entries])
    ended = campaign.end <= services.clock()
    return ProgramBoard(
        "campaign", campaign.name, campaign.start, campaign.end, ended, 0, page, pages, entries, names, rank, points
    )


async def season_results(services: Services, season: Season) -> tuple[list[LeaderboardEntry], str]:
    """The season's final board: the reward zone's entries, and the whole board as CSV (rank, member, handle,
    points, in the reward zone)."""
    store = services.store
    entries, _ = await store.board_page(store.keys.season_board(season.id), 0, RESULTS_MAX)
    handles = await store.handles_for_members([entry.discord_id for entry in entries])
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["rank", "discord_id", "x_handle", "points", "reward_zone"])
    for entry in entries:
        zone = "yes" if entry.rank <= season.reward_zone else "no"
        writer.writerow([entry.rank, entry.discord_id, handles.get(entry.discord_id, ""), entry.points, zone])
    return entries[: season.reward_zone], buffer.getvalue()


async def season_payouts_csv(services: Services, actor: str, name: str | None) -> tuple[str, str, int]:
    """(file name, CSV, rows) of a season's reward zone with each member's payout address, for an external payout
    tool: rank, discord id, X handle, points, address, chain (empty when none is registered). Audited: it reads
    member data out."""
    who = discord_id(actor)
    season = await find_season(services.store, name)
    winners, _ = await season_results(services, season)
    handles = await services.store.handles_for_members([entry.discord_id for entry in winners])
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["rank", "discord_id", "x_handle", "points", "address", "chain"])
    for entry in winners:
        address = await registered_address(services.store, entry.discord_id)
        where = (address.address, address.chain) if address else ("", "")
        writer.writerow([entry.rank, entry.discord_id, handles.get(entry.discord_id, ""), entry.points, *where])
    await services.store.audit(who, "season-payouts-export", season.name, "", plural(len(winners), "row"))
    return f"season-{season.id}-payouts.csv", buffer.getvalue(), len(winners)
