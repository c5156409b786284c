from __future__ import annotations

import pytest

from engagement.services import Services
from engagement.store import Store
from sandbox.fake_x import FakeX
from tests.bot.conftest import ADMIN_BY_PERMISSION, ADMIN_BY_ROLE, ALICE, BOB, OTHER_BOT, link
from tests.fakes.discord_fixtures import Keyspace
from tests.fakes.discord_harness import DiscordHarness, Member
from tests.fakes.discord_payloads import GUILD_ID


@pytest.mark.parametrize("admin", [ADMIN_BY_ROLE, ADMIN_BY_PERMISSION], ids=["admin role", "manage server"])
async def test_admin_sets_a_tier_with_an_audit_entry(
    discord: DiscordHarness, store: Store, alice_x: str, admin: Member
) -> None:
    reply = await discord.slash("tier", {"member": ALICE, "level": 3}, member=admin)
    assert reply.last.ephemeral
    assert reply.last.content == f"<@{ALICE.id}> is now tier 3 (Power); it was tier 1 (Basic)."
    connection = await store.get_connection(str(ALICE.id))
    assert connection is not None
    assert connection.tier == 3
    [entry] = await store.audit_entries()
    assert (entry["actor"], entry["action"], entry["target"], entry["old"], entry["new"]) == (
        str(admin.id),
        "tier",
        str(ALICE.id),
        "1",
        "3",
    )


async def refused(
    discord: DiscordHarness, keyspace: Keyspace, options: dict[str, object], by: Member, text: str
) -> None:
    before = await keyspace()
    reply = await discord.slash("tier", options, member=by)
    assert text in reply.last.content
    assert reply.last.ephemeral
    assert await keyspace() == before


async def test_non_admin_is_refused(discord: DiscordHarness, keyspace: Keyspace, alice_x: str) -> None:
    await refused(discord, keyspace, {"member": ALICE, "level": 3}, BOB, "This command is for admins only.")


@pytest.mark.parametrize("level", [0, 4, -1])
async def test_level_outside_1_to_3(discord: DiscordHarness, keyspace: Keyspace, alice_x: str, level: int) -> None:
    await refused(discord, keyspace, {"member": ALICE, "level": level}, ADMIN_BY_ROLE, "tier must be 1, 2 or 3")


async def test_a_bot_member_is_refused(
    discord: DiscordHarness, services: Services, store: Store, fake_x: FakeX, keyspace: Keyspace
) -> None:
    await link(services, store, fake_x, OTHER_BOT)
    await refused(discord, keyspace, {"member": OTHER_BOT, "level": 2}, ADMIN_BY_ROLE, "Bots cannot have a tier")


async def test_unconnected_member_is_refused(discord: DiscordHarness, keyspace: Keyspace) -> None:
    await refused(discord, keyspace, {"member": BOB, "level": 2}, ADMIN_BY_ROLE, "has not connected an X account")


async def test_synced_as_hidden_from_non_admins(discord: DiscordHarness) -> None:
    [tier] = [command for command in discord.api.synced_commands[str(GUILD_ID)] if command["name"] == "tier"]
    assert int(tier["default_member_permissions"]) == 1 << 5  # Manage Server; the run-time check still applies
    options = {option["name"]: option for option in tier["options"]}
    assert (options["level"]["min_value"], options["level"]["max_value"]) == (1, 3)
