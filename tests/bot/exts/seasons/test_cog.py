"""/season, /team, /campaign and /leaderboard season/teams/campaign through the real discord.py and the fake Discord;
the season's results posted at its end."""

from __future__ import annotations

import pytest

from bot.bot import EngagementBot
from bot.exts.seasons._announce import SeasonResultsCog
from engagement.models import Award
from engagement.services import Services
from engagement.store import AWARDED, Store, SubmissionDraft
from sandbox.fake_x import FakeX
from tests.bot.cogs import loaded_cog
from tests.bot.conftest import ADMIN_BY_PERMISSION, ALICE, BOB, link
from tests.bot.exts.admin.admin_commands import grouped
from tests.conftest import FakeClock
from tests.fakes.discord_fixtures import Keyspace
from tests.fakes.discord_harness import DiscordHarness
from tests.fakes.discord_payloads import SUBMIT_CHANNEL_ID

POST = "1850000000000000001"


def results_cog(bot: EngagementBot) -> SeasonResultsCog:
    return loaded_cog(bot, SeasonResultsCog)


async def bob_paid(services: Services, store: Store, fake_x: FakeX, points: int, season_id: str) -> None:
    alice_x = await link(services, store, fake_x, ALICE)
    bob_x = await link(services, store, fake_x, BOB)
    draft = SubmissionDraft(POST, f"https://x.com/alice/status/{POST}", alice_x, "alice", str(ALICE.id), "general")
    await store.create_submission(draft, daily_limit=10)
    award = Award(POST, bob_x, str(BOB.id), "reply", points, 1, "1", season_id=season_id)
    assert await store.award_engagement(award) == AWARDED


async def test_an_admin_opens_a_season_and_members_see_its_board(
    discord: DiscordHarness, services: Services, store: Store, fake_x: FakeX
) -> None:
    opened = await grouped(discord, "season", "open", {"name": "Winter", "end": "2026-11-25", "reward_zone": 3},
                           member=ADMIN_BY_PERMISSION)  # fmt: skip
    assert opened.last.content.startswith("Season opened. **Winter** (open):")
    assert not opened.last.ephemeral  # announced in the channel
    await bob_paid(services, store, fake_x, 3, await store.open_season_id() or "")
    reply = await discord.slash("leaderboard", {"season": "winter"}, member=ALICE)
    [embed] = reply.last.embeds
    assert embed["title"].startswith("Season Winter · ends <t:")
    assert embed["description"] == f"**#1** <@{BOB.id}> (@bob) · 3 points 🏆"
    assert embed["footer"]["text"] == "Page 1/1 · reward zone: top 3 · you: not on it"


async def test_a_member_cannot_open_a_season(
    discord: DiscordHarness, keyspace: Keyspace, caplog: pytest.LogCaptureFixture
) -> None:
    before = await keyspace()
    reply = await grouped(discord, "season", "open", {"name": "Mine", "end": "2026-11-25"}, member=BOB)
    assert "admins" in reply.last.content.lower()
    assert await keyspace() == before
    assert f"to member {BOB.id}: not an admin" in caplog.text


async def test_a_bad_date_is_explained(discord: DiscordHarness, keyspace: Keyspace) -> None:
    before = await keyspace()
    reply = await grouped(discord, "season", "open", {"name": "S", "end": "next week"}, member=ADMIN_BY_PERMISSION)
    assert reply.last.content.startswith("The end must be `now`, a date like 2026-12-01")
    assert await keyspace() == before


async def test_teams_join_and_the_team_board(
    discord: DiscordHarness, services: Services, store: Store, fake_x: FakeX
) -> None:
    await grouped(discord, "season", "open", {"name": "S", "end": "2026-11-25"}, member=ADMIN_BY_PERMISSION)
    await grouped(discord, "team", "create", {"name": "Red"}, member=ADMIN_BY_PERMISSION)
    joined = await grouped(discord, "team", "join", {"team": "red"}, member=BOB)
    assert joined.last.content == "You are in team **Red**: your season points from now on count for it."
    await bob_paid(services, store, fake_x, 4, await store.open_season_id() or "")
    [embed] = (await discord.slash("leaderboard", {"board": "teams"}, member=ALICE)).last.embeds
    assert embed["title"].startswith("Teams of season S · ends")
    assert embed["description"] == "**#1** Red · 4 points"


async def test_a_campaign_with_a_bad_multiplier_is_refused(discord: DiscordHarness, keyspace: Keyspace) -> None:
    before = await keyspace()
    options = {"name": "Memes", "multiplier": "x2", "match": "category", "value": "general", "end": "2026-11-25"}
    reply = await grouped(discord, "campaign", "create", options, member=ADMIN_BY_PERMISSION)
    assert reply.last.content.startswith("The multiplier is a number from 0.1 to 10")
    assert await keyspace() == before


async def test_the_results_are_posted_once_at_the_end_with_the_board_as_csv(
    discord: DiscordHarness, engagement_bot: EngagementBot, services: Services, store: Store, fake_x: FakeX,
    clock: FakeClock,
) -> None:  # fmt: skip
    await grouped(discord, "season", "open", {"name": "Sprint", "end": "2026-11-20", "reward_zone": 1},
                  member=ADMIN_BY_PERMISSION)  # fmt: skip
    await bob_paid(services, store, fake_x, 3, await store.open_season_id() or "")
    cog = results_cog(engagement_bot)
    assert await cog.tick() == 0  # still running
    clock.advance(3 * 86_400)
    discord.api.fail_next("POST", rf"channels/{SUBMIT_CHANNEL_ID}/messages", 403)
    await cog.poll.coro(cog)  # Discord failed: not marked, posted next round
    assert await cog.tick() == 1
    assert await cog.tick() == 0
    [message] = [m for owner, m in discord.api.sent if owner == "channel"]
    assert message.content.startswith("🏁 **Season Sprint has ended.** Final reward zone (top 1):")
    assert f"**#1** <@{BOB.id}> · 3 points" in message.content
    assert message.files["season-1.csv"].decode().splitlines()[1] == f"1,{BOB.id},bob,3,yes"
