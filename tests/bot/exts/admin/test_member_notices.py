"""The bot DMs the notices the worker queued for members (a Sign in with X that X stopped accepting)."""

from __future__ import annotations

import json

from bot.bot import EngagementBot
from engagement.store import Store
from engagement.x_oauth import REAUTH_NOTICE, shared_beside
from tests.bot.exts.admin.test_admin_alerts import alerts_cog
from tests.fakes.discord_harness import DiscordHarness

ALICE = "100000000000000001"
BOB = "100000000000000002"


async def _queued(store: Store, member: str, x_user_id: str) -> Store:
    """What the worker does when X refuses to refresh that member's token."""
    shared = shared_beside(store)
    notice = json.dumps({"discord_id": member, "text": REAUTH_NOTICE})
    await shared.mark_x_token_needs_reauth(x_user_id, int(store.now()), notice)
    return shared


async def test_a_queued_notice_is_sent_by_dm_once(
    discord: DiscordHarness, engagement_bot: EngagementBot, store: Store
) -> None:
    shared = await _queued(store, ALICE, "5001")
    assert await alerts_cog(engagement_bot).tick() == 1
    [dm] = discord.api.dms_to(ALICE)
    assert dm.content == REAUTH_NOTICE
    assert await shared.pop_member_notice() is None
    assert await alerts_cog(engagement_bot).tick() == 0  # told once
    assert len(discord.api.dms_to(ALICE)) == 1


async def test_a_member_who_takes_no_dms_is_skipped_and_the_others_are_told(
    discord: DiscordHarness, engagement_bot: EngagementBot, store: Store
) -> None:
    discord.api.closed_dms.add(ALICE)
    await _queued(store, ALICE, "5001")
    shared = await _queued(store, BOB, "5002")
    assert await alerts_cog(engagement_bot).tick() == 1
    assert discord.api.dms_to(ALICE) == []
    assert [dm.content for dm in discord.api.dms_to(BOB)] == [REAUTH_NOTICE]
    assert await shared.pop_member_notice() is None  # Alice's is dropped, not retried forever


async def test_a_notice_discord_failed_to_take_is_kept_for_the_next_round(
    discord: DiscordHarness, engagement_bot: EngagementBot, store: Store
) -> None:
    await _queued(store, ALICE, "5001")
    discord.api.fail_next("POST", r"channels/\d+/messages", 400)  # (a 5xx discord.py retries by itself)
    cog = alerts_cog(engagement_bot)
    await cog.poll.coro(cog)  # one loop round: logs, never raises
    assert discord.api.dms_to(ALICE) == []
    assert await cog.tick() == 1
    assert [dm.content for dm in discord.api.dms_to(ALICE)] == [REAUTH_NOTICE]
