"""One bot serving three communities at once (ALLOWED_GUILDS): each one's data under its own prefix, none shared.

Driven through real discord.py: each guild has its own harness (its channels, roles, members),
the same members (alice, bob) appear in several guilds, and the keyspace is scanned per prefix.
"""

from __future__ import annotations

from typing import Any

import pytest
from discord import app_commands
from redis.asyncio import Redis

from bot.bot import EngagementBot
from bot.tree import ADMINS_ONLY, OTHER_SERVER
from engagement.models import Award
from engagement.services import Services
from sandbox.fake_x import FakeX
from tests.bot.conftest import ADMIN_BY_PERMISSION, ALICE, BOB, recent_post
from tests.bot.exts.admin.admin_commands import Role, admin, press, uploads
from tests.bot.exts.admin.test_admin_batches import finished
from tests.bot.exts.admin.test_admin_tweets import TWEET, submitted
from tests.bot.exts.connect.test_cog import code_in, verify
from tests.bot.test_other_servers import COMMANDS
from tests.conftest import FakeClock, dump_keyspace
from tests.fakes.discord_api import FakeDiscordAPI
from tests.fakes.discord_fixtures import COMMUNITY_GUILDS
from tests.fakes.discord_harness import DiscordHarness, Member
from tests.fakes.discord_payloads import ADMIN_ROLE_NAME, GUILD_ID, admin_role_id
from tests.fakes.discord_payloads import submit_channel_id as submit_channel

__all__ = ["uploads"]  # the fixture, used by name (leaderboard-export uploads a file)

A, B, C = COMMUNITY_GUILDS
OUTSIDER = GUILD_ID + 300  # a server that added the bot but is not on ALLOWED_GUILDS
Dump = dict[str, Any]


@pytest.fixture
def served_guilds() -> tuple[int, ...]:
    return COMMUNITY_GUILDS


@pytest.fixture
def harnesses(community_harnesses: tuple[DiscordHarness, ...]) -> dict[int, DiscordHarness]:
    return dict(zip(COMMUNITY_GUILDS, community_harnesses, strict=True))


def prefix_of(services: Services, guild_id: int) -> str:
    return services.store_for(guild_id).keys.prefix


async def community_dump(redis: Redis, services: Services, guild_id: int) -> Dump:
    """Every key under the community's prefix (`test:*` is not `test-<id>:*`: the separator ends a prefix)."""
    return await dump_keyspace(redis, match=f"{prefix_of(services, guild_id)}:*")


async def prove(harness: DiscordHarness, fake_x: FakeX, x_id: str, member: Member = ALICE) -> None:
    """/connect in the harness's guild, proven by the code in the bio."""
    started = await harness.slash("connect", {"handle": member.name}, member=member)
    fake_x.set_description(x_id, f"gm {code_in(started)}")
    verified = await verify(harness, started, member=member)
    assert f"Connected **@{member.name}** (code found in your bio)" in verified.last.content


async def connect_again(harness: DiscordHarness, member: Member = ALICE) -> None:
    """/connect in another community: the account was proved once, so it is linked at once."""
    reply = await harness.slash("connect", {"handle": member.name}, member=member)
    assert f"Connected **@{member.name}**: you proved this account before" in reply.last.content


def every_admin_command(guild_id: int) -> list[tuple[str, dict[str, Any]]]:
    """Each /admin subcommand (reads, then changes) as an admin of `guild_id` runs it."""
    return [
        ("overview", {}),
        ("tweets", {}),
        ("rules show", {}),
        ("rules set", {"tier": 2, "type": "reply", "points": 10}),
        ("rules reset", {}),
        ("rules set", {"tier": 1, "type": "like", "points": 7}),
        ("leaderboard-export", {}),
        ("batches", {}),
        ("batch", {"batch_id": 1}),
        ("batch-run", {}),
        ("points-adjust", {"member": ALICE, "delta": 5, "reason": "meme contest"}),
        ("config", {}),
        ("config", {"setting": "daily_limit_tier2", "value": "5"}),
        ("config", {"setting": "daily_limit_tier2", "reset": True}),
        ("config", {"setting": "daily_limit_tier1", "value": "9"}),
        ("config", {"setting": "admin_role_ids", "role": Role(admin_role_id(guild_id), ADMIN_ROLE_NAME)}),
        ("tweets-delete", {"tweet": TWEET, "revoke": True, "reason": "spam"}),
        ("setup", {}),
    ]


def admin_paths(bot: EngagementBot) -> set[str]:
    group = bot.tree.get_command("admin")
    assert isinstance(group, app_commands.Group)
    commands = [command for command in group.walk_commands() if isinstance(command, app_commands.Command)]
    return {command.qualified_name.removeprefix("admin ") for command in commands}


async def populate(services: Services, fake_x: FakeX, clock: FakeClock) -> None:
    """The same world in every community: alice and bob linked, alice's post reposted by bob, one batch."""
    alice_x, bob_x = fake_x.add_user("alice"), fake_x.add_user("bob")
    for guild_id in COMMUNITY_GUILDS:
        store = services.store_for(guild_id)
        for member, x_id in ((ALICE, alice_x), (BOB, bob_x)):
            await store.link_account(str(member.id), x_id, member.name, "bio", services.now().isoformat())
        await submitted(store, TWEET, alice_x)
        await store.award_engagement(Award(TWEET, bob_x, str(BOB.id), "retweet", 2, 1, "1"))
        await finished(store, clock, "completed")


@pytest.mark.usefixtures("uploads")
@pytest.mark.parametrize("acting", [A, B], ids=["home admin", "admin of B"])
async def test_every_admin_command_changes_only_its_own_community(
    harnesses: dict[int, DiscordHarness],
    engagement_bot: EngagementBot,
    services: Services,
    fake_redis: Redis,
    fake_x: FakeX,
    clock: FakeClock,
    acting: int,
) -> None:
    await populate(services, fake_x, clock)
    commands = every_admin_command(acting)
    assert {path for path, _ in commands} == admin_paths(engagement_bot)  # a new subcommand joins this list
    others = [guild_id for guild_id in COMMUNITY_GUILDS if guild_id != acting]
    others_before = {guild_id: await community_dump(fake_redis, services, guild_id) for guild_id in others}
    before = await dump_keyspace(fake_redis)
    for path, options in commands:
        reply = await admin(harnesses[acting], path, options, member=ADMIN_BY_PERMISSION)
        if reply.messages and "Confirm" in [reply.last.button(i)["label"] for i in reply.last.custom_ids]:
            reply = await press(harnesses[acting], reply, "Confirm", member=ADMIN_BY_PERMISSION)
        assert reply.messages, path
        assert ADMINS_ONLY not in reply.text, (path, reply.text)
    tier = await harnesses[acting].slash("tier", {"member": ALICE, "level": 3}, member=ADMIN_BY_PERMISSION)
    assert "is now tier 3" in tier.last.content

    for guild_id in others:
        assert await community_dump(fake_redis, services, guild_id) == others_before[guild_id]
        assert await services.store_for(guild_id).rule_overrides() == {}
        assert engagement_bot.services.for_guild(guild_id).settings.daily_limit(1) == 2
    after = await dump_keyspace(fake_redis)
    changed = {key for key in before.keys() | after.keys() if before.get(key) != after.get(key)}
    assert changed
    assert all(key.startswith(f"{prefix_of(services, acting)}:") for key in changed), sorted(changed)
    assert await services.store_for(acting).rule_overrides() == {(1, "like"): "7"}
    assert engagement_bot.services.for_guild(acting).settings.daily_limit(1) == 9


async def test_members_in_two_communities_keep_to_their_own(
    harnesses: dict[int, DiscordHarness], services: Services, fake_redis: Redis, fake_x: FakeX
) -> None:
    alice_x = fake_x.add_user("alice")
    await prove(harnesses[A], fake_x, alice_x)
    await connect_again(harnesses[B])
    await prove(harnesses[B], fake_x, fake_x.add_user("bob"), BOB)
    posts: dict[int, str] = {}
    for guild_id in (A, B):
        posts[guild_id] = recent_post(fake_x, services, alice_x)
        url = f"https://x.com/alice/status/{posts[guild_id]}"
        reply = await harnesses[guild_id].slash("submit", {"url": url}, member=ALICE)
        [announcement] = reply.channel_messages
        assert announcement.raw["channel_id"] == str(submit_channel(guild_id))

    dumps = {guild_id: await community_dump(fake_redis, services, guild_id) for guild_id in COMMUNITY_GUILDS}
    assert dumps[C] == {}
    shared = await dump_keyspace(fake_redis, match="test-shared:*")  # the proofs, kept for every community
    assert sorted(shared) == sorted(f"test-shared:proofs:{member.id}" for member in (ALICE, BOB))
    every_key = sorted((await dump_keyspace(fake_redis)).keys())
    assert every_key == sorted([*shared, *(key for dump in dumps.values() for key in dump)])  # else one community's
    for guild_id, other in ((A, B), (B, A)):
        assert posts[guild_id] in repr(dumps[guild_id])
        assert posts[other] not in repr(dumps[guild_id])
        store = services.store_for(guild_id)
        assert await store.submission_for_tweet(posts[other]) is None
        connection = await store.get_connection(str(ALICE.id))
        assert connection is not None
        assert connection.x_user_id == alice_x
    # Of bob (in B only), A's prefix holds nothing: the proofs every community shares have their own prefix.
    assert not [key for key, value in dumps[A].items() if str(BOB.id) in key + repr(value)]
    assert await services.store_for(A).get_connection(str(BOB.id)) is None


async def test_stats_in_b_show_nothing_of_a(
    harnesses: dict[int, DiscordHarness], services: Services, fake_x: FakeX
) -> None:
    await prove(harnesses[A], fake_x, fake_x.add_user("alice"))
    await connect_again(harnesses[B])
    options = {"member": ALICE, "delta": 15, "reason": "won the meme contest"}
    await admin(harnesses[A], "points-adjust", options, member=ADMIN_BY_PERMISSION)

    def all_time(reply: Any) -> str:
        [embed] = reply.last.embeds
        return str({field["name"]: field["value"] for field in embed["fields"]}["All-time"])

    assert all_time(await harnesses[A].slash("stats", member=ALICE)).startswith("**15** points")
    assert all_time(await harnesses[B].slash("stats", member=ALICE)) == "No points yet"
    [board] = (await harnesses[B].slash("leaderboard", member=ALICE)).last.embeds
    assert board["description"].startswith("No points yet.")


async def test_a_member_of_b_named_in_a_is_not_found_and_b_is_untouched(
    harnesses: dict[int, DiscordHarness], services: Services, fake_redis: Redis, fake_x: FakeX
) -> None:
    await prove(harnesses[B], fake_x, fake_x.add_user("bob"), BOB)
    before = await dump_keyspace(fake_redis)
    stats = await harnesses[A].slash("stats", {"member": BOB}, member=ALICE)
    assert f"<@{BOB.id}> has not connected an X account" in stats.last.content
    tier = await harnesses[A].slash("tier", {"member": BOB, "level": 3}, member=ADMIN_BY_PERMISSION)
    assert "has not connected an X account" in tier.last.content
    options = {"member": BOB, "delta": 5, "reason": "welcome"}
    adjusted = await admin(harnesses[A], "points-adjust", options, member=ADMIN_BY_PERMISSION)
    assert f"<@{BOB.id}> has no record yet" in adjusted.last.content
    assert await dump_keyspace(fake_redis) == before
    connection = await services.store_for(B).get_connection(str(BOB.id))
    assert connection is not None
    assert connection.tier == 1


@pytest.mark.usefixtures("uploads")  # were leaderboard-export let through, its file would reach the fake
async def test_a_guild_not_allowed_gets_one_message_and_nothing_is_written(
    discord: DiscordHarness, fake_redis: Redis, alice_x: str
) -> None:
    outsider = discord.in_guild(OUTSIDER)
    outsider.join_guild()
    before = await dump_keyspace(fake_redis)
    replies = [await outsider.slash(name, options, member=member) for name, options, member in COMMANDS]
    replies += [
        await admin(outsider, path, options, member=ADMIN_BY_PERMISSION)
        for path, options in every_admin_command(OUTSIDER)
    ]
    for reply in replies:
        assert [message.content for message in reply.messages] == [OTHER_SERVER]
        assert reply.last.ephemeral
        assert reply.channel_messages == []
    assert await dump_keyspace(fake_redis) == before


async def test_commands_reach_every_served_guild(engagement_bot: EngagementBot, discord_api: FakeDiscordAPI) -> None:
    synced = discord_api.synced_commands
    assert "global" in synced or all(synced.get(str(guild_id)) for guild_id in COMMUNITY_GUILDS), sorted(synced)


@pytest.mark.parametrize("served_guilds", [()], ids=["one community"])
async def test_one_community_keeps_todays_key_names(
    discord: DiscordHarness, services: Services, fake_redis: Redis, fake_x: FakeX
) -> None:
    assert services.store_for(GUILD_ID) is services.store
    alice_x = fake_x.add_user("alice")
    await prove(discord, fake_x, alice_x)
    post = recent_post(fake_x, services, alice_x)
    await discord.slash("submit", {"url": f"https://x.com/alice/status/{post}"}, member=ALICE)
    options = {"member": ALICE, "delta": 15, "reason": "won the meme contest"}
    await admin(discord, "points-adjust", options, member=ADMIN_BY_PERMISSION)
    alice = ALICE.id
    assert sorted((await dump_keyspace(fake_redis)).keys()) == [  # the clock's day: 2026-11-18, ISO week 47
        f"test-shared:proofs:{alice}",  # the X accounts she proved, shared by every community of a deployment
        f"test:attempts:submit:{alice}",
        "test:audit",
        f"test:connection:{alice}",
        "test:display_names",  # the name she connected with, for the CSV export
        "test:leaderboard:alltime",
        "test:leaderboard:weekly:2026-W47",
        "test:log:adj-1",
        "test:seq:adjust",
        "test:seq:tweet",
        f"test:submissions:{alice}:2026-11-18",
        "test:tweet:1",
        f"test:tweetid:{post}",
        "test:tweets:recent",
        "test:twitter:alice",
        f"test:user:{alice}:logs",
        f"test:xuser:{alice_x}",
    ]


async def test_a_post_of_b_named_in_a_is_not_found_and_b_is_untouched(
    harnesses: dict[int, DiscordHarness], services: Services, fake_redis: Redis, fake_x: FakeX
) -> None:
    await submitted(services.store_for(B), TWEET, fake_x.add_user("alice"))
    before = await dump_keyspace(fake_redis)
    options = {"tweet": TWEET, "revoke": True, "reason": "spam"}
    removed = await admin(harnesses[A], "tweets-delete", options, member=ADMIN_BY_PERMISSION)
    assert f"No submitted tweet has the id {TWEET}." in removed.last.content
    assert await dump_keyspace(fake_redis) == before
    assert await services.store_for(B).submission_for_tweet(TWEET) is not None
