"""A client with an older copy of a command (a required option missing) is told to retry, not apologised to."""

from __future__ import annotations

import logging

import pytest

from bot.tree import STALE_COMMAND
from tests.bot.conftest import ALICE, BOB
from tests.bot.exts.admin.admin_commands import refused
from tests.fakes.discord_fixtures import Keyspace
from tests.fakes.discord_harness import DiscordHarness


async def test_a_missing_required_option_says_the_command_changed(
    discord: DiscordHarness, keyspace: Keyspace, alice_x: str
) -> None:
    before = await keyspace()
    reply = await discord.slash("why", {}, member=ALICE)  # /why's url is required: an old client never sent it
    assert reply.last.content == STALE_COMMAND
    assert reply.last.ephemeral
    assert "reference" not in reply.last.content
    assert await keyspace() == before


async def test_an_admin_refusal_is_logged_with_the_member_and_the_command(
    discord: DiscordHarness, keyspace: Keyspace, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="bot.tree"):
        await refused(discord, keyspace, "rules reset", {}, "This command is for admins only.", member=BOB)
    assert f"refused /admin rules reset to member {BOB.id}: not an admin" in caplog.text
