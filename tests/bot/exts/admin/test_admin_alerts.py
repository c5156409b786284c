"""The bot posts the worker's queued alerts to ALERT_CHANNEL, and says so itself when Redis is unreachable."""

from __future__ import annotations

import dataclasses

import pytest
from redis.asyncio import Redis

from bot.bot import EngagementBot
from bot.exts.admin._admin_alerts import AlertsCog
from engagement.alerts import BATCH_FAILED, raise_alert
from engagement.keys import Keys
from engagement.settings import Settings
from engagement.store import Store
from tests.bot.cogs import loaded_cog
from tests.conftest import FakeClock
from tests.fakes.discord_harness import DiscordHarness
from tests.fakes.discord_payloads import OTHER_CHANNEL_ID


@pytest.fixture
def bot_settings(bot_settings: Settings) -> Settings:
    return bot_settings.model_copy(update={"alert_channel": "#general"})


def alerts_cog(bot: EngagementBot) -> AlertsCog:
    return loaded_cog(bot, AlertsCog)


def channel_posts(discord: DiscordHarness) -> list[tuple[str, str]]:
    return [(m.raw["channel_id"], m.content) for owner, m in discord.api.sent if owner == "channel"]


async def test_queued_alerts_are_posted_in_order(
    discord: DiscordHarness, engagement_bot: EngagementBot, store: Store
) -> None:
    await raise_alert(store, BATCH_FAILED, "Batch 7 failed: ResponseError")
    await raise_alert(store, "rate-limit-low", "X endpoints under 10 % of their rate limit: liking_users 3/75")
    assert await alerts_cog(engagement_bot).tick() == 2
    at = int(store.now())
    assert channel_posts(discord) == [
        (str(OTHER_CHANNEL_ID), f"**Alert · batch-failed** <t:{at}:f>\nBatch 7 failed: ResponseError"),
        (
            str(OTHER_CHANNEL_ID),
            f"**Alert · rate-limit-low** <t:{at}:f>\nX endpoints under 10 % of their rate limit: liking_users 3/75",
        ),
    ]
    assert await store.pop_alert() is None


async def test_an_alert_discord_refused_stays_queued(
    discord: DiscordHarness, engagement_bot: EngagementBot, store: Store
) -> None:
    await raise_alert(store, BATCH_FAILED, "Batch 7 failed")
    discord.api.fail_next("POST", rf"channels/{OTHER_CHANNEL_ID}/messages", 403)  # the bot may not post there
    await alerts_cog(engagement_bot).poll.coro(alerts_cog(engagement_bot))  # one loop round: logs, never raises
    assert channel_posts(discord) == []
    assert await alerts_cog(engagement_bot).tick() == 1
    assert len(channel_posts(discord)) == 1


async def test_without_the_channel_alerts_wait(
    discord: DiscordHarness, engagement_bot: EngagementBot, store: Store, caplog: pytest.LogCaptureFixture
) -> None:
    engagement_bot.services = dataclasses.replace(
        engagement_bot.services, settings=engagement_bot.services.settings.model_copy(update={"alert_channel": "ops"})
    )
    cog = alerts_cog(engagement_bot)
    cog.runtime.base = engagement_bot.services.settings
    await raise_alert(store, BATCH_FAILED, "Batch 7 failed")
    assert await cog.tick() == 0
    assert "ALERT_CHANNEL 'ops' is not a text channel the bot can see" in caplog.text
    assert await store.redis.llen(store.keys.alerts()) == 1


async def test_redis_unreachable_is_posted_directly_then_summarised(
    discord: DiscordHarness, engagement_bot: EngagementBot, store: Store, clock: FakeClock
) -> None:
    working = engagement_bot.services
    dead = Redis.from_url("redis://127.0.0.1:1/0", socket_connect_timeout=0.2)
    engagement_bot.services = dataclasses.replace(working, store=Store(dead, Keys("test"), clock=clock))
    cog = alerts_cog(engagement_bot)
    assert await cog.tick() == 0
    assert await cog.tick() == 0  # once an hour
    [(channel, text)] = channel_posts(discord)
    assert channel == str(OTHER_CHANNEL_ID)
    assert text.startswith("**Alert · redis-unreachable**")
    assert "Redis is unreachable:" in text
    await dead.aclose()

    clock.advance(5 * 60)
    engagement_bot.services = working
    assert await cog.tick() == 1
    assert channel_posts(discord)[-1][1].endswith("Redis was unreachable for about 5 minutes.")
