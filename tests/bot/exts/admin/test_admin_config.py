"""/admin config: shown, changed, reset, validated, audited, and applied to the running bot at once."""

from __future__ import annotations

from typing import Any

import pytest

from bot.bot import EngagementBot
from engagement.store import Store
from tests.bot.conftest import ADMIN_BY_PERMISSION, ADMIN_BY_ROLE, ALICE
from tests.bot.exts.admin.admin_commands import Role, admin, fields, refused
from tests.fakes.discord_fixtures import Keyspace
from tests.fakes.discord_harness import DiscordHarness, Member
from tests.fakes.discord_payloads import ADMIN_ROLE_ID, GUILD_ID, OTHER_CHANNEL_ID, role_payload


async def test_show_set_and_reset(discord: DiscordHarness, engagement_bot: EngagementBot, store: Store) -> None:
    shown = fields(await admin(discord, "config", member=ADMIN_BY_ROLE))
    assert shown["daily_limit_tier1"] == "`2`"
    assert shown["categories"] == "`general,meme,thread`"

    reply = await admin(discord, "config", {"setting": "daily_limit_tier1", "value": "9"}, member=ADMIN_BY_ROLE)
    assert reply.last.content == "`daily_limit_tier1` set to `9` (was `not set`)."
    assert fields(reply)["daily_limit_tier1"] == "`9` (set by an admin)"
    assert engagement_bot.services.settings.daily_limit(1) == 9
    assert await store.config_values() == {"daily_limit_tier1": "9"}

    reset = await admin(discord, "config", {"setting": "daily_limit_tier1", "reset": True}, member=ADMIN_BY_ROLE)
    assert reset.last.content == "`daily_limit_tier1` is back to the environment's value (was `9`)."
    assert engagement_bot.services.settings.daily_limit(1) == 2
    audit = [(e["actor"], e["action"], e["target"], e["old"], e["new"]) for e in await store.audit_entries()]
    assert audit == [
        (str(ADMIN_BY_ROLE.id), "config", "daily_limit_tier1", "9", ""),
        (str(ADMIN_BY_ROLE.id), "config", "daily_limit_tier1", "", "9"),
    ]


async def test_a_new_submission_channel_applies_to_submit(discord: DiscordHarness, alice_x: str) -> None:
    await admin(discord, "config", {"setting": "submission_channel", "value": "#general"}, member=ADMIN_BY_ROLE)
    reply = await discord.slash("submit", {"url": "https://x.com/alice/status/1850000000000000001"}, member=ALICE)
    assert reply.last.content == f"Tweets are submitted in <#{OTHER_CHANNEL_ID}>. Please run /submit there."


async def test_a_new_admin_role_is_stored_by_id_and_applies_to_the_admin_check(
    discord: DiscordHarness, store: Store
) -> None:
    owners = Role(1100000000000000077, "Owners")
    owner = Member(777777777777777777, "owner2", roles=(owners.id,))
    discord.bot._connection.parsers["GUILD_ROLE_CREATE"](
        {"guild_id": str(GUILD_ID), "role": role_payload(owners.id, owners.name)}
    )
    reply = await admin(discord, "config", {"setting": "admin_role_ids", "role": owners}, member=ADMIN_BY_PERMISSION)
    assert reply.last.content == f"`admin_role_ids` set to `{owners.id}` (was `not set`)."
    assert fields(reply)["admin_role_ids"] == f"<@&{owners.id}> (set by an admin)"
    assert await store.config_values() == {"admin_role_ids": str(owners.id)}
    refused = await admin(discord, "overview", member=ADMIN_BY_ROLE)
    assert refused.last.content == "This command is for admins only."
    allowed = await admin(discord, "rules show", member=owner)
    assert allowed.last.embeds[0]["title"] == "Point rules"
    await admin(discord, "config", {"setting": "admin_role_ids", "reset": True}, member=ADMIN_BY_PERMISSION)
    allowed = await admin(discord, "rules show", member=ADMIN_BY_ROLE)
    assert allowed.last.embeds[0]["title"] == "Point rules"


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"setting": "admin_role_ids", "value": "Engagement Admin"}, "Pick the admin role in the `role` option"),
        ({"setting": "admin_role_ids", "value": str(ADMIN_ROLE_ID)}, "Pick the admin role in the `role` option"),
        ({"setting": "categories", "role": Role(1100000000000000077, "Owners")}, "The `role` option only goes"),
        ({"role": Role(GUILD_ID, "@everyone")}, "@everyone cannot be the admin role"),
        ({"setting": "admin_role_ids", "role": Role(1100000000000000077, "O"), "reset": True}, "Give either a role"),
    ],
    ids=["a name", "a typed id", "role for another setting", "everyone", "role and reset"],
)
async def test_admin_roles_only_from_the_role_option(
    discord: DiscordHarness, keyspace: Keyspace, options: dict[str, Any], message: str
) -> None:
    await refused(discord, keyspace, "config", options, message, member=ADMIN_BY_PERMISSION)


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"setting": "daily_limit_tier2", "value": "-1"}, "a daily limit must be a whole number from 0 to 1000"),
        ({"setting": "daily_limit_tier2", "value": "1001"}, "a daily limit must be a whole number from 0 to 1000"),
        ({"setting": "categories", "value": "art, not ok"}, "category 'not ok' must be"),
        ({"setting": "submission_channel", "value": "two words"}, "submission channel must be a channel name"),
        ({"setting": "discord_bot_token", "value": "x"}, "config name must be one of"),
        ({"setting": "daily_limit_tier2"}, "Give a value, or reset:True"),
    ],
    ids=["limit -1", "limit 1001", "bad category", "bad channel", "unknown setting", "missing value"],
)
async def test_bad_values_are_refused(
    discord: DiscordHarness, keyspace: Keyspace, options: dict[str, Any], message: str
) -> None:
    await refused(discord, keyspace, "config", options, message)
