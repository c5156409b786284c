from __future__ import annotations

import pytest

from bot.bot import EngagementBot
from engagement.services import Services
from engagement.settings import load_settings
from tests.fakes.discord_api import FakeDiscordAPI
from tests.fakes.discord_payloads import APP_ID, GUILD_ID

COMMANDS = {
    "connect",
    "disconnect",
    "submit",
    "stats",
    "leaderboard",
    "help",
    "tier",
    "admin",
    "why",
    "insights",
    "season",
    "team",
    "campaign",
    "roles",
    "shop",
    "shop-admin",
}


async def logged_in(services: Services, *, sync_global: bool = False) -> EngagementBot:
    bot = EngagementBot(services, sync_global=sync_global)
    await bot.login("fake-token")
    return bot


async def test_login_syncs_every_command_to_the_guild_only(services: Services, discord_api: FakeDiscordAPI) -> None:
    bot = await logged_in(services)
    try:
        assert {command["name"] for command in discord_api.synced_commands[str(GUILD_ID)]} == COMMANDS
        assert "global" not in discord_api.synced_commands
        assert set(bot.extensions) == {
            f"bot.exts.{name}"
            for name in (
                "connect",
                "submit",
                "stats",
                "why",
                "insights",
                "reports",
                "leaderboard",
                "seasons",
                "role_rewards",
                "shop",
                "help",
                "admin",
                "guilds",
            )
        }
    finally:
        await bot.close()


async def test_sync_global_only_when_asked(services: Services, discord_api: FakeDiscordAPI) -> None:
    bot = await logged_in(services, sync_global=True)
    await bot.close()
    assert {command["name"] for command in discord_api.synced_commands["global"]} == COMMANDS
    assert all(command.get("contexts") == [0] for command in discord_api.synced_commands["global"])  # guild only


async def test_no_guild_and_no_flag_syncs_nothing(
    services: Services, discord_api: FakeDiscordAPI, caplog: pytest.LogCaptureFixture
) -> None:
    settings = load_settings(_env_file=None, discord_application_id=APP_ID)
    unsynced = Services(settings=settings, store=services.store, x=services.x, clock=services.clock)
    bot = await logged_in(unsynced)
    await bot.close()
    assert discord_api.synced_commands == {}
    assert "no commands were synced" in caplog.text
