"""/roles through the real discord.py against the fake Discord: rules, the grants and revocations it makes, tier
promotion, and what /admin setup says about the bot's rights."""

from __future__ import annotations

import pytest

from bot.bot import EngagementBot
from bot.exts.role_rewards._cog import RoleRewardsCog
from engagement.models import Award
from engagement.services import Services
from engagement.store import AWARDED, Store, SubmissionDraft
from sandbox.fake_x import FakeX
from tests.bot.cogs import loaded_cog
from tests.bot.conftest import ADMIN_BY_PERMISSION, ALICE, BOB, link
from tests.bot.exts.admin.admin_commands import Role, admin, grouped
from tests.fakes.discord_fixtures import Keyspace
from tests.fakes.discord_harness import DiscordHarness
from tests.fakes.discord_payloads import BOT_USER_ID, guild_create_payload, member_payload, role_payload, user_payload

POST = "1850000000000000001"
CHAMPION = Role(1100000000000000091, "Champion")
BOT_ROLE = 1100000000000000092
MANAGE_ROLES = 1 << 28


def roles_cog(bot: EngagementBot) -> RoleRewardsCog:
    return loaded_cog(bot, RoleRewardsCog)


async def bob_earns(services: Services, store: Store, fake_x: FakeX, points: int) -> None:
    alice_x = await link(services, store, fake_x, ALICE)
    bob_x = await link(services, store, fake_x, BOB)
    draft = SubmissionDraft(POST, f"https://x.com/alice/status/{POST}", alice_x, "alice", str(ALICE.id), "general")
    await store.create_submission(draft, daily_limit=10)
    assert await store.award_engagement(Award(POST, bob_x, str(BOB.id), "reply", points, 1, "1")) == AWARDED


async def test_a_reward_role_is_given_once_and_taken_back_below_it(
    discord: DiscordHarness, engagement_bot: EngagementBot, services: Services, store: Store, fake_x: FakeX
) -> None:
    options = {"role": CHAMPION, "threshold": 3, "revoke": True}
    added = await grouped(discord, "roles", "add", options, member=ADMIN_BY_PERMISSION)
    assert added.last.content == f"<@&{CHAMPION.id}> is granted at 3 points (alltime), within 5 minutes."
    await bob_earns(services, store, fake_x, 3)
    cog = roles_cog(engagement_bot)
    assert await cog.tick() == 1
    assert discord.api.member_roles[(str(discord.guild_id), str(BOB.id))] == {str(CHAMPION.id)}
    assert await cog.tick() == 0  # given once
    await store.adjust_points(str(ADMIN_BY_PERMISSION.id), str(BOB.id), -1, "duplicate")
    assert await cog.tick() == 1
    assert discord.api.member_roles[(str(discord.guild_id), str(BOB.id))] == set()


async def test_a_refused_grant_is_retried(
    discord: DiscordHarness, engagement_bot: EngagementBot, services: Services, store: Store, fake_x: FakeX
) -> None:
    await grouped(discord, "roles", "add", {"role": CHAMPION, "threshold": 3}, member=ADMIN_BY_PERMISSION)
    await bob_earns(services, store, fake_x, 5)
    discord.api.fail_next("PUT", r"guilds/\d+/members/\d+/roles/\d+", 403)  # no Manage Roles yet
    assert await roles_cog(engagement_bot).tick() == 0
    assert await roles_cog(engagement_bot).tick() == 1


async def test_tier_promotion_through_the_loop(
    discord: DiscordHarness, engagement_bot: EngagementBot, services: Services, store: Store, fake_x: FakeX
) -> None:
    reply = await grouped(discord, "roles", "tier", {"level": 2, "threshold": 3}, member=ADMIN_BY_PERMISSION)
    assert reply.last.content == "Promotion to tier 2: at 3 all-time points."
    await bob_earns(services, store, fake_x, 4)
    assert await roles_cog(engagement_bot).tick() == 1
    assert (await store.get_connection(str(BOB.id))).tier == 2  # type: ignore[union-attr]


async def test_a_member_cannot_add_rules(discord: DiscordHarness, keyspace: Keyspace) -> None:
    before = await keyspace()
    reply = await grouped(discord, "roles", "add", {"role": CHAMPION, "threshold": 3}, member=BOB)
    assert "admins" in reply.last.content.lower()
    assert await keyspace() == before


def joined_with(discord: DiscordHarness, *, champion_position: int, manage_roles: bool) -> None:
    payload = guild_create_payload(discord.guild_id)
    bot_role = {**role_payload(BOT_ROLE, "engagement-bot", MANAGE_ROLES if manage_roles else 0), "position": 5}
    payload["roles"] += [bot_role, {**role_payload(CHAMPION.id, CHAMPION.name), "position": champion_position}]
    bot = member_payload(user_payload(BOT_USER_ID, "engagement-bot", bot=True), roles=(BOT_ROLE,))
    payload["members"] = [bot]
    discord.bot._connection.parsers["GUILD_CREATE"](payload)


@pytest.mark.parametrize(
    ("position", "manage", "line"),
    [
        (1, True, "✅ **Reward roles**: the bot can give all 1 of them."),
        (9, True, f"❌ **Reward roles**: <@&{CHAMPION.id}> is above the bot's highest role"),
        (1, False, "❌ **Reward roles**: the bot needs the Manage Roles permission."),
    ],
    ids=["fine", "role above the bot", "no manage roles"],
)
@pytest.mark.parametrize("served_guilds", [()], ids=["one community"])
async def test_setup_says_whether_the_bot_can_give_the_roles(
    discord: DiscordHarness, position: int, manage: bool, line: str
) -> None:
    await grouped(discord, "roles", "add", {"role": CHAMPION, "threshold": 3}, member=ADMIN_BY_PERMISSION)
    joined_with(discord, champion_position=position, manage_roles=manage)
    reply = await admin(discord, "setup", member=ADMIN_BY_PERMISSION)
    [found] = [text for text in reply.last.content.splitlines() if "Reward roles" in text]
    assert found.startswith(line)
