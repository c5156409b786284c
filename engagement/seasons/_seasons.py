"""Seasons: one open at a time per community, with its own board from its start; frozen and announced at its end."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING

from engagement.errors import InvalidInput, Refused
from engagement.seasons import _inputs
from engagement.store import Store
from engagement.validation import discord_id

if TYPE_CHECKING:  # the batch imports this package, and services import the batch
    from engagement.services import Services

log = logging.getLogger(__name__)
SYSTEM = "system"  # the actor in the audit when a season ends on its own


@dataclass(frozen=True)
class Season:
    id: str
    name: str
    start: float
    end: float
    reward_zone: int
    ended: bool
    announced: bool

    def running(self, at: float) -> bool:
        return not self.ended and self.start <= at < self.end


def season_from(raw: dict[str, str]) -> Season | None:
    try:
        return Season(
            raw["id"], raw["name"], float(raw["start"]), float(raw["end"]), int(raw.get("reward_zone", "10")),
            "ended_at" in raw, "announced_at" in raw,
        )  # fmt: skip
    except (KeyError, ValueError):
        return None


async def seasons(store: Store) -> list[Season]:
    """Every season, oldest first."""
    return [found for raw in await store.records("season") if (found := season_from(raw))]


async def find_season(store: Store, name: str | None) -> Season:
    """The season named `name`, else the open one, else the newest; a clear refusal when there is none."""
    every = await seasons(store)
    if name:
        wanted = next((s for s in every if s.name.casefold() == " ".join(name.split()).casefold()), None)
        if wanted is None:
            known = ", ".join(s.name for s in every[-10:]) or "none yet"
            raise Refused(f"There is no season called {name[:40]!r}. Seasons: {known}.")
        return wanted
    open_id = await store.open_season_id()
    chosen = next((s for s in every if s.id == open_id), None) or (every[-1] if every else None)
    if chosen is None:
        raise Refused("No season has been held here yet. Admins open one with /season open.")
    return chosen


async def open_season(
    services: Services, actor: str, name: object, start: object, end: object, reward_zone: object
) -> Season:
    """Open a season (its board counts from its start); refused while another is open. Audited."""
    who, now, zone = discord_id(actor), services.clock(), services.settings.zone
    title = _inputs.checked_name(name, "season")
    begins = _inputs.moment(start, zone, now, "start")
    ends = _inputs.moment(end, zone, now, "end")
    begins, ends = _inputs.period(begins, ends, now)
    zone_size = _inputs.reward_zone(reward_zone)
    fields = {"start": begins, "end": ends, "reward_zone": zone_size}
    await end_due_season(services.store)  # one past its end is over, even if the bot has not frozen it yet
    summary = f"{title}: {int(begins)}-{int(ends)}, top {zone_size}"
    status, found = await services.store.create_named("season", title, fields, begins, who, summary)
    if status == "taken":
        raise InvalidInput(f"A season called {title!r} exists already: pick another name.")
    if status == "open":
        current = next((s for s in await seasons(services.store) if s.id == found), None)
        raise Refused(f"Season {current.name if current else found!r} is still open: end it first (/season end).")
    log.info("member %s opened season %s (%s)", who, found, title)
    return Season(found, title, begins, ends, zone_size, False, False)


async def end_season(services: Services, actor: str) -> Season:
    """End the open season now (its results are frozen from this moment). Audited."""
    who = discord_id(actor)
    open_id = await services.store.open_season_id()
    if open_id is None or await services.store.end_named("season", open_id, who) != "ok":
        raise Refused("No season is open.")
    return await _season(services.store, open_id)


async def _season(store: Store, season_id: str) -> Season:
    found = [s for s in await seasons(store) if s.id == season_id]
    if not found:
        raise Refused("That season is gone.")
    return found[0]


async def end_due_season(store: Store) -> Season | None:
    """Freeze the open season once its end has passed (the bot checks every minute); the season, if it ended."""
    open_id = await store.open_season_id()
    if open_id is None:
        return None
    season = await _season(store, open_id)
    if season.end > store.now() or await store.end_named("season", open_id, SYSTEM) != "ok":
        return None
    log.info("season %s (%s) ended at its end", season.id, season.name)
    return await _season(store, open_id)


async def unannounced(store: Store) -> list[Season]:
    return [s for s in await seasons(store) if s.ended and not s.announced]
