"""The bot posts the weekly reports the worker queued to REPORT_CHANNEL, with both charts, each exactly once."""

from __future__ import annotations

import io
import json
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from PIL import Image

from bot.bot import EngagementBot
from bot.exts.reports._cog import ReportsCog
from engagement.analytics import weekly_report
from engagement.settings import Settings
from engagement.store import Store
from tests.bot.cogs import loaded_cog
from tests.engagement.analytics.posts import at, rated
from tests.fakes.discord_harness import DiscordHarness
from tests.fakes.discord_payloads import OTHER_CHANNEL_ID

WEEK = "2026-W48"


@pytest.fixture
def bot_settings(bot_settings: Settings) -> Settings:
    return bot_settings.model_copy(update={"report_channel": "#general"})


def reports_cog(bot: EngagementBot) -> ReportsCog:
    return loaded_cog(bot, ReportsCog)


async def queue_report(store: Store) -> dict[str, Any]:
    posts = [rated("2026-11-24 15:00", 4.0), rated("2026-11-24 15:20", 2.0), rated("2026-11-17 10:00", 1.0)]
    report = weekly_report(WEEK, ZoneInfo("UTC"), posts, [("111111111111111111", 12)], at("2026-11-30 09:00"))
    assert await store.save_report(WEEK, json.dumps(report))
    return report


def posted(discord: DiscordHarness) -> list[Any]:
    return [message for owner, message in discord.api.sent if owner == "channel"]


async def test_a_queued_report_is_posted_once_with_its_charts(
    discord: DiscordHarness, engagement_bot: EngagementBot, store: Store
) -> None:
    await queue_report(store)
    assert await reports_cog(engagement_bot).tick() == 1
    assert await reports_cog(engagement_bot).tick() == 0
    [message] = posted(discord)
    assert message.raw["channel_id"] == str(OTHER_CHANNEL_ID)
    summary, mix = message.embeds
    assert summary["title"].startswith("Weekly report 2026-W48 (Mon 23 Nov 2026 to Sun 29 Nov 2026, UTC)")
    assert "1. <@111111111111111111>: 12 points" in summary["description"]
    assert "Tuesday 15:00: avg. rate 3.00 % (2 posts)" in summary["description"]
    assert mix["image"]["url"] == "attachment://mix.png"
    sizes = {name: Image.open(io.BytesIO(data)).size for name, data in message.files.items()}
    assert sizes == {"best-times.png": (1000, 400), "mix.png": (800, 320)}


async def test_a_report_discord_refused_stays_queued(
    discord: DiscordHarness, engagement_bot: EngagementBot, store: Store
) -> None:
    await queue_report(store)
    discord.api.fail_next("POST", rf"channels/{OTHER_CHANNEL_ID}/messages", 403)
    cog = reports_cog(engagement_bot)
    await cog.poll.coro(cog)  # one loop round: logs, never raises
    assert posted(discord) == []
    assert await cog.tick() == 1
    assert len(posted(discord)) == 1


async def test_without_a_report_channel_reports_wait(
    discord: DiscordHarness, engagement_bot: EngagementBot, store: Store
) -> None:
    cog = reports_cog(engagement_bot)
    settings = engagement_bot.services.settings.model_copy(update={"report_channel": "no-such-channel"})
    engagement_bot.services = type(engagement_bot.services)(**{**vars(engagement_bot.services), "settings": settings})
    await queue_report(store)
    assert await cog.tick() == 0
    assert await store.redis.llen(store.keys.reports_queue()) == 1
    assert posted(discord) == []


async def test_an_unreadable_queued_report_is_dropped_and_the_next_posted(
    discord: DiscordHarness, engagement_bot: EngagementBot, store: Store, caplog: pytest.LogCaptureFixture
) -> None:
    await store.redis.rpush(store.keys.reports_queue(), "not json")
    await queue_report(store)
    assert await reports_cog(engagement_bot).tick() == 2
    assert "a queued weekly report is unreadable; dropped" in caplog.text
    assert len(posted(discord)) == 1
