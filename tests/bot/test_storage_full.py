"""Redis full: a member is told plainly, the admins get an alert the bot posts itself, nothing is half-written.

The store here is on a Valkey this module starts itself (its maxmemory is changed), not on fakeredis.
"""

from __future__ import annotations

from typing import Any, cast

import pytest

from bot.bot import EngagementBot
from bot.exts.admin._admin_alerts import AlertsCog
from engagement.settings import Settings
from engagement.storage import MEMBER_MESSAGE
from engagement.store import Store
from tests.bot.conftest import ALICE
from tests.conftest import dump_keyspace, fill_up
from tests.fakes.discord_harness import DiscordHarness
from tests.fakes.discord_payloads import OTHER_CHANNEL_ID

pytestmark = pytest.mark.redis


@pytest.fixture
async def store(own_server_store: Store) -> Store:
    await fill_up(own_server_store)
    return own_server_store


@pytest.fixture
def bot_settings(bot_settings: Settings) -> Settings:
    return bot_settings.model_copy(update={"alert_channel": "#general"})


async def test_a_member_is_told_storage_is_full_and_the_admins_are_alerted_once(
    discord: DiscordHarness, engagement_bot: EngagementBot, store: Store
) -> None:
    before = await dump_keyspace(store.redis)
    reply = await discord.slash("connect", {"handle": "alice"}, member=ALICE)
    assert reply.last.content == MEMBER_MESSAGE
    assert reply.last.ephemeral
    assert await dump_keyspace(store.redis) == before

    cog = cast(AlertsCog, cast(Any, engagement_bot.get_cog("AlertsCog")))
    await cog.tick()
    await cog.tick()
    posts = [
        m.content
        for owner, m in discord.api.sent
        if owner == "channel" and m.raw["channel_id"] == str(OTHER_CHANNEL_ID)
    ]
    assert len(posts) == 1
    assert posts[0].startswith("**Alert · storage-full**")
    assert "Redis storage is full" in posts[0]
