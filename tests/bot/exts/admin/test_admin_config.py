"""/admin config: shown, changed, reset, validated, audited, and applied to the running bot at once."""

from __future__ import annotations

from typing import Any

import pytest

from bot.bot import EngagementBot
from engagement.store import Store
from tests.bot.conftest import ADMIN_BY_PERMISSION, ADMIN_BY_ROLE, ALICE
from tests.bot.exts.admin.admin_commands import Channel, Role, admin, fields, refused
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
    general = Channel(OTHER_CHANNEL_ID, "general")
    reply = await admin(discord, "config", {"setting": "submission_channel", "channel": general}, member=ADMIN_BY_ROLE)
    assert reply.last.content == "`submission_channel` set to `general` (was `not set`)."
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
        ({"setting": "core_role_ids", "value": "Core"}, "Pick the core role in the `role` option"),
        ({"setting": "categories", "role": Role(1100000000000000077, "Owners")}, "The `role` option only goes"),
        ({"role": Role(GUILD_ID, "@everyone")}, "@everyone cannot be the admin role"),
        ({"setting": "admin_role_ids", "role": Role(1100000000000000077, "O"), "reset": True}, "Give either a role"),
    ],
    ids=["a name", "a typed id", "a core role name", "role for another setting", "everyone", "role and reset"],
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
        ({"setting": "discord_bot_token", "value": "x"}, "config name must be one of"),
        ({"setting": "discord_bot_token"}, "config name must be one of"),
    ],
    ids=["limit -1", "limit 1001", "bad category", "unknown setting", "unknown setting shown"],
)
async def test_bad_values_are_refused(
    discord: DiscordHarness, keyspace: Keyspace, options: dict[str, Any], message: str
) -> None:
    await refused(discord, keyspace, "config", options, message)


GENERAL = Channel(OTHER_CHANNEL_ID, "general")


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (
            {"setting": "submission_channel", "value": "no-such-channel"},
            "Pick the channel in the `channel` option to set submission_channel",
        ),
        ({"setting": "alert_channel", "value": "#general"}, "Pick the channel in the `channel` option to set alert"),
        ({"setting": "categories", "channel": GENERAL}, "The `channel` option only goes with the settings"),
        ({"channel": GENERAL}, "The `channel` option only goes with the settings"),
        ({"setting": "alert_channel", "channel": GENERAL, "reset": True}, "Give either a role, a channel"),
    ],
    ids=["typed submission channel", "typed alert channel", "channel for another setting", "no setting", "and reset"],
)
async def test_channels_only_from_the_channel_option(
    discord: DiscordHarness, keyspace: Keyspace, options: dict[str, Any], message: str
) -> None:
    await refused(discord, keyspace, "config", options, message)


async def test_the_channel_option_offers_only_text_channels(discord: DiscordHarness) -> None:
    [group] = [command for command in discord.api.synced_commands[str(GUILD_ID)] if command["name"] == "admin"]
    [config] = [option for option in group["options"] if option["name"] == "config"]
    options = {option["name"]: option for option in config["options"]}
    assert options["channel"]["type"] == 7  # a channel: Discord lets the admin pick only an existing one
    assert options["channel"]["channel_types"] == [0, 5]  # text and announcement channels
    assert options["role"]["type"] == 8


async def test_alert_channel_and_core_role_from_their_options(discord: DiscordHarness, store: Store) -> None:
    reply = await admin(discord, "config", {"setting": "alert_channel", "channel": GENERAL}, member=ADMIN_BY_ROLE)
    assert reply.last.content == "`alert_channel` set to `general` (was `not set`)."
    core = Role(1100000000000000078, "Core")
    reply = await admin(discord, "config", {"setting": "core_role_ids", "role": core}, member=ADMIN_BY_ROLE)
    assert reply.last.content == f"`core_role_ids` set to `{core.id}` (was `not set`)."
    assert await store.config_values() == {"alert_channel": "general", "core_role_ids": str(core.id)}


async def test_a_setting_alone_shows_its_current_value(
    discord: DiscordHarness, keyspace: Keyspace, store: Store
) -> None:
    before = await keyspace()
    shown = await admin(discord, "config", {"setting": "daily_limit_tier2"}, member=ADMIN_BY_ROLE)
    assert shown.last.content == "`daily_limit_tier2` is `3` (the environment's value)."
    assert shown.last.ephemeral
    assert not shown.last.embeds
    shown = await admin(discord, "config", {"setting": "alert-channel"}, member=ADMIN_BY_ROLE)
    assert shown.last.content == "`alert_channel` is not set (the environment's value)."
    assert await keyspace() == before
    await admin(discord, "config", {"setting": "daily_limit_tier2", "value": "7"}, member=ADMIN_BY_ROLE)
    shown = await admin(discord, "config", {"setting": "daily_limit_tier2"}, member=ADMIN_BY_ROLE)
    assert shown.last.content == "`daily_limit_tier2` is `7` (set by an admin)."
    shown = await admin(discord, "config", {"setting": "admin_role_ids"}, member=ADMIN_BY_ROLE)
    assert shown.last.content == f"`admin_role_ids` is <@&{ADMIN_ROLE_ID}> (the environment's value)."
