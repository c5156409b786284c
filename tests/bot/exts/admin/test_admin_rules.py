"""/admin rules show|set|reset through the fake Discord."""

from __future__ import annotations

from typing import Any

import pytest

from engagement.store import Store
from tests.bot.conftest import ADMIN_BY_ROLE
from tests.bot.exts.admin.admin_commands import admin, fields, press, refused
from tests.fakes.discord_fixtures import Keyspace
from tests.fakes.discord_harness import DiscordHarness


async def test_show_set_reset(discord: DiscordHarness, store: Store) -> None:
    shown = await admin(discord, "rules show", member=ADMIN_BY_ROLE)
    assert fields(shown)["Tier 2 · Active"] == "Likes **2** · Reposts **4** · Replies **6** · Quotes **4**"

    changed = await admin(discord, "rules set", {"tier": 2, "type": "reply", "points": 10}, member=ADMIN_BY_ROLE)
    assert changed.last.content == "Tier 2 reply: 6 → 10 points, from the next batch."
    assert fields(await admin(discord, "rules show", member=ADMIN_BY_ROLE))["Tier 2 · Active"].endswith(
        "Replies **10*** · Quotes **4**"
    )
    assert await store.rule_overrides() == {(2, "reply"): "10"}

    reset = await press(discord, await admin(discord, "rules reset", member=ADMIN_BY_ROLE), "Confirm")
    assert reset.last.content.startswith("Rules reset to the defaults (1 changed rule removed)")
    assert fields(reset)["Tier 2 · Active"] == "Likes **2** · Reposts **4** · Replies **6** · Quotes **4**"
    assert await store.rule_overrides() == {}
    assert [entry["action"] for entry in await store.audit_entries()] == ["rules-reset", "rule"]


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"tier": 0, "type": "like", "points": 5}, "tier must be 1, 2 or 3"),
        ({"tier": 4, "type": "like", "points": 5}, "tier must be 1, 2 or 3"),
        ({"tier": 1, "type": "bookmark", "points": 5}, "engagement type must be one of like, retweet"),
        ({"tier": 1, "type": "like", "points": -1}, "points must be a whole number from 0 to 1000"),
        ({"tier": 1, "type": "like", "points": 1001}, "points must be a whole number from 0 to 1000"),
    ],
    ids=["tier 0", "tier 4", "unknown type", "points -1", "points 1001"],
)
async def test_bad_values_are_refused(
    discord: DiscordHarness, keyspace: Keyspace, options: dict[str, Any], message: str
) -> None:
    await refused(discord, keyspace, "rules set", options, message)
