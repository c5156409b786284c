"""Fixtures: the fake Discord API, the core services on fakeredis + fake X, and a logged-in bot.

One community (DISCORD_GUILD_ID) unless a module overrides `served_guilds`: with COMMUNITY_GUILDS
the bot serves three guilds (ALLOWED_GUILDS; Services builds the communities itself), each
driven through its own harness from `community_harnesses`.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from typing import Any

import pytest
from discord.http import Route
from redis.asyncio import Redis

from bot.bot import EngagementBot
from engagement.services import Services
from engagement.settings import Settings, load_settings
from engagement.store import Store
from tests.conftest import dump_keyspace
from tests.fakes.discord_api import FakeDiscordAPI
from tests.fakes.discord_harness import DiscordHarness
from tests.fakes.discord_payloads import ADMIN_ROLE_ID, APP_ID, GUILD_B_ID, GUILD_C_ID, GUILD_ID, SUBMIT_CHANNEL_NAME

Keyspace = Callable[[], Awaitable[dict[str, Any]]]
COMMUNITY_GUILDS = (GUILD_ID, GUILD_B_ID, GUILD_C_ID)  # the home guild first, as ALLOWED_GUILDS lists it


@pytest.fixture
async def discord_api(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[FakeDiscordAPI]:
    api = FakeDiscordAPI()
    # Both the bot's HTTP client and the interaction webhooks build their URLs from this.
    monkeypatch.setattr(Route, "BASE", await api.start())
    yield api
    await api.close()


@pytest.fixture
def served_guilds() -> tuple[int, ...]:
    """ALLOWED_GUILDS of the bot under test; empty (the default) serves DISCORD_GUILD_ID only."""
    return ()


@pytest.fixture
def bot_settings(served_guilds: tuple[int, ...], store: Store) -> Settings:
    # The other communities' prefixes are siblings of the home store's (`test-<guild id>` beside `test`).
    several = {"allowed_guilds": served_guilds, "key_prefix": store.keys.prefix} if served_guilds else {}
    return load_settings(
        _env_file=None,
        discord_guild_id=GUILD_ID,
        discord_application_id=APP_ID,
        admin_role_ids=str(ADMIN_ROLE_ID),
        submission_channel=SUBMIT_CHANNEL_NAME,
        categories="general,meme,thread",
        daily_limit_tier1=2,
        daily_limit_tier2=3,
        **several,
    )


@pytest.fixture
def services(bot_settings: Settings, store: Store, x_client: Any, clock: Callable[[], float]) -> Services:
    return Services(settings=bot_settings, store=store, x=x_client, clock=clock)


@pytest.fixture
def view_timeout() -> float:
    return 180.0


@pytest.fixture
async def engagement_bot(
    services: Services, discord_api: FakeDiscordAPI, view_timeout: float
) -> AsyncIterator[EngagementBot]:
    bot = EngagementBot(services, view_timeout=view_timeout)
    await bot.login("fake-token")  # GET /users/@me, application info, setup_hook (extensions + guild sync)
    yield bot
    await bot.close()


@pytest.fixture
def discord(engagement_bot: EngagementBot, discord_api: FakeDiscordAPI) -> Iterator[DiscordHarness]:
    harness = DiscordHarness(engagement_bot, discord_api)
    harness.join_guild()
    yield harness
    assert not discord_api.unhandled, f"the bot called routes the fake does not know: {discord_api.unhandled}"
    unexpected = [handled for handled in engagement_bot.tree.handled if not handled.expected]
    assert harness.allow_unexpected or not unexpected, f"unexpected errors: {unexpected}"


@pytest.fixture
def community_harnesses(discord: DiscordHarness) -> tuple[DiscordHarness, ...]:
    """One harness per guild of COMMUNITY_GUILDS (the `discord` fixture's first), every guild joined."""
    others = tuple(discord.in_guild(guild_id) for guild_id in COMMUNITY_GUILDS[1:])
    for harness in others:
        harness.join_guild()
    return (discord, *others)


@pytest.fixture
def keyspace(fake_redis: Redis) -> Keyspace:
    async def read() -> dict[str, Any]:
        return await dump_keyspace(fake_redis)

    return read
