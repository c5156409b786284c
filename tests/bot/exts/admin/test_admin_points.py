"""/admin points-adjust through the fake Discord; the adjustment shows in /stats."""

from __future__ import annotations

from typing import Any

import pytest

from engagement.store import Store
from tests.bot.conftest import ADMIN_BY_ROLE, ALICE, BOB
from tests.bot.exts.admin.admin_commands import admin, refused
from tests.fakes.discord_fixtures import Keyspace
from tests.fakes.discord_harness import DiscordHarness


async def test_adjustment_shows_in_boards_and_stats(discord: DiscordHarness, store: Store, alice_x: str) -> None:
    options = {"member": ALICE, "delta": 15, "reason": "won the meme contest"}
    reply = await admin(discord, "points-adjust", options, member=ADMIN_BY_ROLE)
    assert reply.last.content == f"<@{ALICE.id}>: +15 points (won the meme contest); all-time total 15."
    assert await store.rank_and_points(str(ALICE.id), weekly=False) == (1, 15)
    assert await store.rank_and_points(str(ALICE.id), weekly=True) == (1, 15)
    stats = await discord.slash("stats", member=ALICE)
    recent = {field["name"]: field["value"] for field in stats.last.embeds[0]["fields"]}["Recent awards"]
    assert recent.startswith("+15 adjustment: won the meme contest")
    [entry] = await store.audit_entries()
    assert (entry["action"], entry["target"], entry["old"], entry["new"]) == ("points-adjust", str(ALICE.id), "0", "15")


DELTA_RANGE = "delta must be a whole number of points from -10,000 to 10,000 other than 0;"


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"member": ALICE, "delta": 5, "reason": "   "}, "A reason is required."),
        ({"member": ALICE, "delta": 0, "reason": "why"}, f"{DELTA_RANGE} got 0."),
        ({"member": ALICE, "delta": 20_000, "reason": "why"}, f"{DELTA_RANGE} got 20000."),
        ({"member": ALICE, "delta": -10_001, "reason": "why"}, f"{DELTA_RANGE} got -10001."),
        ({"member": ALICE, "delta": 5, "reason": "x" * 201}, "A reason must be at most 200 characters."),
        ({"member": BOB, "delta": 5, "reason": "welcome"}, f"<@{BOB.id}> has no record yet"),
    ],
    ids=["missing reason", "zero", "too big", "too small", "reason too long", "member without record"],
)
async def test_bad_values_are_refused(
    discord: DiscordHarness, keyspace: Keyspace, alice_x: str, options: dict[str, Any], message: str
) -> None:
    await refused(discord, keyspace, "points-adjust", options, message)
