"""Teams: admins create them; a member is in at most one; a team's season points are its members' points earned
while in it (moving teams moves nothing already earned)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING

from engagement.errors import InvalidInput, Refused
from engagement.seasons._inputs import checked_name
from engagement.store import Store
from engagement.validation import discord_id

if TYPE_CHECKING:
    from engagement.services import Services

log = logging.getLogger(__name__)
MAX_TEAMS = 50


@dataclass(frozen=True)
class Team:
    id: str
    name: str


async def teams(store: Store) -> list[Team]:
    return [Team(raw["id"], raw.get("name", raw["id"])) for raw in await store.records("team")]


async def find_team(store: Store, name: object) -> Team:
    wanted = " ".join(str(name).split()).casefold() if isinstance(name, str) else ""
    every = await teams(store)
    found = next((team for team in every if team.name.casefold() == wanted), None)
    if found is None:
        known = ", ".join(team.name for team in every) or "none yet"
        raise Refused(f"There is no team called {str(name)[:40]!r}. Teams: {known}.")
    return found


async def create_team(services: Services, actor: str, name: object) -> Team:
    who, title = discord_id(actor), checked_name(name, "team")
    if len(await teams(services.store)) >= MAX_TEAMS:
        raise Refused(f"This server has {MAX_TEAMS} teams, the most it can have.")
    status, found = await services.store.create_named("team", title, {}, services.clock(), who, title)
    if status == "taken":
        raise InvalidInput(f"A team called {title!r} exists already.")
    return Team(found, title)


async def join_team(services: Services, member: str, name: object, *, actor: str | None = None) -> tuple[Team, str]:
    """Put `member` in the team (an admin's assignment when `actor` is given: audited); (team, the old team id)."""
    who = discord_id(member)
    team = await find_team(services.store, name)
    by = discord_id(actor) if actor else who
    status, old = await services.store.set_member_team(who, team.id, by, audited=actor is not None)
    if status != "ok":
        raise Refused("That team is gone.")
    log.info("member %s is now in team %s (was %s), by %s", who, team.id, old or "none", by)
    return team, old


async def leave_team(services: Services, member: str) -> str:
    """Take `member` out of their team; the old team's id ('' when in none)."""
    who = discord_id(member)
    _, old = await services.store.set_member_team(who, "", who, audited=False)
    if not old:
        raise Refused("You are not in a team.")
    return old
