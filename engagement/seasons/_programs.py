"""What a batch pays into besides the all-time and weekly boards: the open season and the running campaigns."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from engagement.store import Store
from rules.campaigns import Campaign, in_campaign, multiplied


@dataclass(frozen=True)
class Programs:
    season_id: str
    """The open season ('' for none): the store counts an award in it only inside its dates."""
    campaigns: tuple[Campaign, ...]

    def for_award(
        self, points: int, tweet_id: str, category: str, text: str, at: float
    ) -> tuple[int, tuple[str, ...], str]:
        """(points with the multiplier, the campaigns' ids, the multiplier text) of one award paid at `at`."""
        found = [c for c in self.campaigns if in_campaign(c, tweet_id, category, text, at)]
        total, factor = multiplied(points, found)
        return total, tuple(c.id for c in found), factor


NO_PROGRAMS = Programs("", ())


def campaign_from(raw: dict[str, str], posts: frozenset[str] = frozenset()) -> Campaign | None:
    """A stored campaign; None for one that is not whole (edited by hand)."""
    try:
        return Campaign(
            raw["id"], raw.get("name", ""), float(raw["start"]), float(raw["end"]), Decimal(raw["multiplier"]),
            raw["match"], raw.get("value", ""), posts,
        )  # fmt: skip
    except (KeyError, ValueError, InvalidOperation):
        return None


async def running_campaigns(store: Store, now: float, lead: float = 0.0) -> list[Campaign]:
    """Campaigns that run at some moment of [now, now + lead] (a batch reads them once at its start)."""
    found = [c for raw in await store.records("campaign") if (c := campaign_from(raw)) and c.start <= now + lead]
    found = [c for c in found if c.end > now]
    posts = await store.campaign_post_ids([c.id for c in found if c.match == "posts"])
    return [Campaign(**{**vars(c), "posts": frozenset(posts.get(c.id, set()))}) for c in found]


async def load_programs(store: Store, lead: float) -> Programs:
    """The open season and the campaigns running during the next `lead` seconds (the batch's length, at most)."""
    season = await store.open_season_id() or ""
    return Programs(season, tuple(await running_campaigns(store, store.now(), lead)))
