"""Campaigns: named, time-boxed sets of posts (a category, a hashtag, or posts an admin picks) with a multiplier."""

from __future__ import annotations

from typing import TYPE_CHECKING

from engagement.errors import InvalidInput, Refused
from engagement.seasons import _inputs
from engagement.seasons._programs import campaign_from
from engagement.store import Store
from engagement.urls import parse_tweet_url
from engagement.validation import discord_id
from rules.campaigns import MATCHES, Campaign

if TYPE_CHECKING:
    from engagement.services import Services


async def campaigns(store: Store) -> list[Campaign]:
    return [found for raw in await store.records("campaign") if (found := campaign_from(raw))]


async def find_campaign(store: Store, name: object) -> Campaign:
    wanted = " ".join(str(name).split()).casefold() if isinstance(name, str) else ""
    every = await campaigns(store)
    found = next((c for c in every if c.name.casefold() == wanted), None)
    if found is None:
        known = ", ".join(c.name for c in every[-10:]) or "none yet"
        raise Refused(f"There is no campaign called {str(name)[:40]!r}. Campaigns: {known}.")
    return found


def _selector(match: object, value: object, categories: tuple[str, ...]) -> tuple[str, str]:
    if match not in MATCHES:
        raise InvalidInput(f"A campaign takes posts by {', '.join(MATCHES)}, got {str(match)[:20]!r}.")
    text = str(value or "").strip().lower()
    if match == "category" and text not in categories:
        raise InvalidInput(f"The category must be one of {', '.join(categories)}, got {text[:30]!r}.")
    if match == "hashtag":
        text = text.lstrip("#")
        if not text or not text.replace("_", "").isalnum() or len(text) > 100:
            raise InvalidInput(f"The hashtag must be letters, digits or '_' (e.g. #launch), got {str(value)[:30]!r}.")
    return str(match), "" if match == "posts" else text


async def create_campaign(
    services: Services, actor: str, name: object, start: object, end: object, multiplier: object, match: object,
    value: object = None,
) -> Campaign:  # fmt: skip
    """A new campaign; its multiplier applies to awards on its posts from its start to its end. Audited."""
    who, now, zone = discord_id(actor), services.clock(), services.settings.zone
    title = _inputs.checked_name(name, "campaign")
    begins, ends = _inputs.period(_inputs.moment(start, zone, now, "start"), _inputs.moment(end, zone, now, "end"), now)
    factor = _inputs.multiplier(multiplier)
    kind, chosen = _selector(match, value, services.settings.categories)
    fields: dict[str, str | float] = {"start": begins, "end": ends, "multiplier": f"{factor:f}", "match": kind}
    fields["value"] = chosen
    summary = f"{title}: x{factor:f} on {kind} {chosen}".strip()
    status, found = await services.store.create_named("campaign", title, fields, begins, who, summary)
    if status == "taken":
        raise InvalidInput(f"A campaign called {title!r} exists already: pick another name.")
    return Campaign(found, title, begins, ends, factor, kind, chosen)


async def add_campaign_post(services: Services, actor: str, name: object, url: object) -> Campaign:
    who = discord_id(actor)
    tweet_id = parse_tweet_url(url if isinstance(url, str) else "")
    campaign = await find_campaign(services.store, name)
    if await services.store.submission_for_tweet(tweet_id) is None:
        raise Refused("That post was never submitted here: only submitted posts can be in a campaign.")
    status = await services.store.add_campaign_post(campaign.id, tweet_id, who)
    if status == "not-picked":
        raise Refused(f"Campaign {campaign.name!r} takes its posts by {campaign.match}, not by picking them.")
    if status == "already":
        raise Refused("That post is in the campaign already.")
    return campaign


async def end_campaign(services: Services, actor: str, name: object) -> Campaign:
    campaign = await find_campaign(services.store, name)
    if await services.store.end_named("campaign", campaign.id, discord_id(actor)) != "ok":
        raise Refused(f"Campaign {campaign.name!r} has ended already.")
    return campaign
