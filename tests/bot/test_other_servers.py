"""Only DISCORD_GUILD_ID is served: another server's (or a DM's) interaction is refused before any Redis access."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import fakeredis
import pytest
from redis.asyncio import Redis

from bot.tree import OTHER_SERVER
from tests.bot.conftest import ADMIN_BY_PERMISSION, ALICE, BOB
from tests.bot.exts.admin.admin_commands import SUB_COMMAND
from tests.conftest import dump_keyspace
from tests.fakes.discord_harness import APPLICATION_COMMAND, AUTOCOMPLETE, DiscordHarness, Member
from tests.fakes.discord_payloads import SUBMIT_CHANNEL_ID

OTHER_GUILD_ID = 1200000000000000001
DM = None

COMMANDS: list[tuple[str, dict[str, Any], Member]] = [
    ("stats", {}, ALICE),
    ("leaderboard", {}, ALICE),
    ("help", {}, ALICE),
    ("submit", {"url": "https://x.com/alice/status/1850000000000000001"}, ALICE),
    ("connect", {"handle": "bob"}, BOB),
    ("disconnect", {}, ALICE),
    ("tier", {"member": ALICE, "level": 3}, ADMIN_BY_PERMISSION),  # Manage Server, as another server's owner has
]


@pytest.fixture
def redis_server() -> fakeredis.FakeServer:
    return fakeredis.FakeServer()


@pytest.fixture
async def fake_redis(redis_server: fakeredis.FakeServer) -> AsyncIterator[Redis]:
    """The usual fakeredis, on a server the test can take down to prove nothing touched Redis."""
    client = fakeredis.FakeAsyncRedis(server=redis_server, decode_responses=True)
    yield client
    await client.aclose()


@pytest.mark.parametrize("guild_id", [OTHER_GUILD_ID, DM], ids=["other server", "DM"])
@pytest.mark.parametrize(("name", "options", "member"), COMMANDS, ids=[name for name, _, _ in COMMANDS])
async def test_refused_with_a_message_and_no_redis_access(
    discord: DiscordHarness,
    fake_redis: Redis,
    redis_server: fakeredis.FakeServer,
    alice_x: str,
    guild_id: int | None,
    name: str,
    options: dict[str, Any],
    member: Member,
) -> None:
    before = await dump_keyspace(fake_redis)
    redis_server.connected = False  # any Redis call now fails, and would show as an apology instead
    reply = await discord.slash(name, options, member=member, guild_id=guild_id)
    redis_server.connected = True
    assert reply.last.content == OTHER_SERVER
    assert reply.last.ephemeral
    assert reply.channel_messages == []
    assert await dump_keyspace(fake_redis) == before


async def test_admin_commands_refused_in_another_server(
    discord: DiscordHarness, fake_redis: Redis, redis_server: fakeredis.FakeServer
) -> None:
    before = await dump_keyspace(fake_redis)
    redis_server.connected = False
    data = discord._command_data("admin", {})
    data["options"] = [{"type": SUB_COMMAND, "name": "batch-run", "options": []}]
    reply = await discord._feed(
        APPLICATION_COMMAND, data, ADMIN_BY_PERMISSION, SUBMIT_CHANNEL_ID, guild_id=OTHER_GUILD_ID
    )
    redis_server.connected = True
    assert reply.last.content == OTHER_SERVER
    assert await dump_keyspace(fake_redis) == before


async def test_autocomplete_from_another_server_offers_nothing(discord: DiscordHarness) -> None:
    data = discord._command_data("submit", {"url": "x", "category": "me"})
    for option in data["options"]:
        option["focused"] = option["name"] == "category"
    reply = await discord._feed(AUTOCOMPLETE, data, ALICE, SUBMIT_CHANNEL_ID, guild_id=OTHER_GUILD_ID)
    assert reply.callback_type == 8
    assert reply.choices == []


async def test_the_served_server_still_works(discord: DiscordHarness, alice_x: str) -> None:
    reply = await discord.slash("stats", {}, member=ALICE)
    assert reply.last.content != OTHER_SERVER
    assert reply.last.embeds
