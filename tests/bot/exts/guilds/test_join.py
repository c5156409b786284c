"""Added to a served server, the bot posts the setup check to whoever added it, else the system channel."""

from __future__ import annotations

import logging

import pytest

from bot.bot import EngagementBot
from tests.fakes.discord_api import FakeDiscordAPI
from tests.fakes.discord_harness import DiscordHarness
from tests.fakes.discord_payloads import GUILD_ID, other_channel_id

ADDER = "777777777777777777"


@pytest.fixture
def harness(engagement_bot: EngagementBot, discord_api: FakeDiscordAPI) -> DiscordHarness:
    return DiscordHarness(engagement_bot, discord_api)  # the home server not joined yet


def channel_posts(api: FakeDiscordAPI, channel_id: int) -> list[str]:
    return [
        sent.content for token, sent in api.sent if token == "channel" and sent.raw["channel_id"] == str(channel_id)
    ]


async def test_the_setup_check_goes_to_whoever_added_the_bot(
    harness: DiscordHarness, discord_api: FakeDiscordAPI
) -> None:
    discord_api.bot_adders[str(GUILD_ID)] = ADDER
    await harness.bot_added(GUILD_ID, system_channel_id=str(other_channel_id()))
    [dm] = discord_api.dms_to(ADDER)
    assert dm.content.startswith("Thanks for adding me to **Test server**. Setup check:")
    assert "Submissions channel #engagement-tracker" in dm.content
    assert "**Worker**" in dm.content
    assert dm.content.endswith("Run `/admin setup` again after fixing anything.")
    assert channel_posts(discord_api, other_channel_id()) == []  # said once, to the adder only


async def test_without_the_audit_log_the_system_channel_gets_it(
    harness: DiscordHarness, discord_api: FakeDiscordAPI
) -> None:
    await harness.bot_added(GUILD_ID, system_channel_id=str(other_channel_id()))
    [posted] = channel_posts(discord_api, other_channel_id())
    assert "Setup check:" in posted


async def test_nowhere_to_post_is_logged(
    harness: DiscordHarness, discord_api: FakeDiscordAPI, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="bot.exts.guilds._cog"):
        await harness.bot_added(GUILD_ID)  # no audit log access, no system channel, owner not cached
    assert f"could not post the setup check for server {GUILD_ID} anywhere" in caplog.text
    assert [sent for token, sent in discord_api.sent if token == "channel"] == []
