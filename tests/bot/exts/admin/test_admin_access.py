"""Every /admin command is hidden from non-admins at sync and refused to them at run time, changing nothing."""

from __future__ import annotations

from typing import Any

import pytest

from engagement.store import Store
from tests.bot.conftest import ADMIN_BY_PERMISSION, ALICE, BOB
from tests.bot.exts.admin.admin_commands import admin, refused
from tests.fakes.discord_fixtures import Keyspace
from tests.fakes.discord_harness import DiscordHarness, Member
from tests.fakes.discord_payloads import ADMIN_ROLE_ID, ADMIN_ROLE_NAME, GUILD_ID, role_payload

LOOKALIKE_ROLE_ID = 1100000000000000099
# Holds a role anyone with Manage Roles could create: named exactly like the admin role, with another id.
LOOKALIKE = Member(666666666666666666, "lookalike", roles=(LOOKALIKE_ROLE_ID,))

EVERY_COMMAND: list[tuple[str, dict[str, Any]]] = [
    ("overview", {}),
    ("tweets", {}),
    ("tweets-delete", {"tweet": "1850000000000000001", "revoke": True}),
    ("rules show", {}),
    ("rules set", {"tier": 1, "type": "like", "points": 5}),
    ("rules reset", {}),
    ("leaderboard-export", {}),
    ("batches", {}),
    ("batch", {"batch_id": 1}),
    ("batch-run", {}),
    ("points-adjust", {"member": ALICE, "delta": 50, "reason": "because"}),
    ("config", {"setting": "daily_limit_tier1", "value": "9"}),
    ("setup", {}),
]


@pytest.mark.parametrize(("path", "options"), EVERY_COMMAND, ids=[path for path, _ in EVERY_COMMAND])
async def test_non_admin_is_refused_and_nothing_changes(
    discord: DiscordHarness, store: Store, keyspace: Keyspace, alice_x: str, path: str, options: dict[str, Any]
) -> None:
    await store.start_batch({"started_at": 1})
    await refused(discord, keyspace, path, options, "This command is for admins only.", member=BOB)


async def test_synced_as_one_admin_group_hidden_from_non_admins(discord: DiscordHarness) -> None:
    [group] = [command for command in discord.api.synced_commands[str(GUILD_ID)] if command["name"] == "admin"]
    assert int(group["default_member_permissions"]) == 1 << 5  # Manage Server; the run-time check still applies
    names = {option["name"] for option in group["options"]}
    assert names == {path.split()[0] for path, _ in EVERY_COMMAND}
    [rules] = [option for option in group["options"] if option["name"] == "rules"]
    assert {option["name"] for option in rules["options"]} == {"show", "set", "reset"}


async def test_an_admin_by_permission_gets_in(discord: DiscordHarness) -> None:
    reply = await admin(discord, "rules show", member=ADMIN_BY_PERMISSION)
    assert reply.last.embeds[0]["title"] == "Point rules"


@pytest.mark.parametrize(("path", "options"), EVERY_COMMAND, ids=[path for path, _ in EVERY_COMMAND])
async def test_a_role_named_like_the_admin_role_is_not_admin(
    discord: DiscordHarness, store: Store, keyspace: Keyspace, alice_x: str, path: str, options: dict[str, Any]
) -> None:
    discord.bot._connection.parsers["GUILD_ROLE_CREATE"](
        {"guild_id": str(GUILD_ID), "role": role_payload(LOOKALIKE_ROLE_ID, ADMIN_ROLE_NAME)}
    )
    guild = discord.bot.get_guild(GUILD_ID)
    assert guild is not None
    assert {role.id for role in guild.roles if role.name == ADMIN_ROLE_NAME} == {ADMIN_ROLE_ID, LOOKALIKE_ROLE_ID}
    await store.start_batch({"started_at": 1})
    await refused(discord, keyspace, path, options, "This command is for admins only.", member=LOOKALIKE)


async def test_tier_is_refused_to_a_lookalike_role(discord: DiscordHarness, keyspace: Keyspace, alice_x: str) -> None:
    discord.bot._connection.parsers["GUILD_ROLE_CREATE"](
        {"guild_id": str(GUILD_ID), "role": role_payload(LOOKALIKE_ROLE_ID, ADMIN_ROLE_NAME.upper())}
    )
    before = await keyspace()
    reply = await discord.slash("tier", {"member": ALICE, "level": 3}, member=LOOKALIKE)
    assert reply.last.content == "This command is for admins only."
    assert await keyspace() == before
