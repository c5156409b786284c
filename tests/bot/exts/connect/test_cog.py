from __future__ import annotations

import re

import pytest

from engagement.store import Store
from sandbox.fake_x import FakeX
from tests.bot.conftest import ALICE, BOB
from tests.fakes.discord_fixtures import Keyspace
from tests.fakes.discord_harness import DiscordHarness, Member, Reply

DEFERRED_MESSAGE = 5
DEFERRED_UPDATE = 6


def code_in(reply: Reply) -> str:
    match = re.search(r"ENG-[A-Z0-9]{6}", reply.last.content)
    assert match, reply.last.content
    return match.group()


async def start(discord: DiscordHarness, handle: str = "alice") -> Reply:
    reply = await discord.slash("connect", {"handle": handle}, member=ALICE)
    assert reply.callback_type == DEFERRED_MESSAGE  # deferred: a member who proved the account before is looked up
    assert reply.last.ephemeral
    assert reply.last.button(reply.last.custom_ids[0])["label"] == "Verify"
    return reply


async def verify(discord: DiscordHarness, started: Reply, *, member: Member = ALICE) -> Reply:
    return await discord.click(started.last, started.last.custom_ids[0], member=member)


async def test_connect_by_bio(discord: DiscordHarness, fake_x: FakeX, store: Store) -> None:
    x_id = fake_x.add_user("alice")
    started = await start(discord, "@Alice")
    assert "@alice" in started.last.content
    assert "15 minutes" in started.last.content
    fake_x.set_description(x_id, f"building things · {code_in(started)}")
    verified = await verify(discord, started)
    assert verified.callback_type == DEFERRED_UPDATE  # the X lookup happens after the defer
    assert verified.last.kind == "edit"
    assert verified.last.message_id == started.last.message_id
    assert "Connected **@alice** (code found in your bio)" in verified.last.content
    assert verified.last.components == []
    connection = await store.get_connection(str(ALICE.id))
    assert connection is not None
    assert (connection.x_user_id, connection.verified_by) == (x_id, "bio")


async def test_connect_by_post(discord: DiscordHarness, fake_x: FakeX, store: Store) -> None:
    x_id = fake_x.add_user("alice")
    started = await start(discord)
    fake_x.add_tweet(x_id, f"verifying for the club: {code_in(started)}")
    verified = await verify(discord, started)
    assert "code found in your post" in verified.last.content
    assert await store.member_for_x_user(x_id) == str(ALICE.id)


async def refused_click(discord: DiscordHarness, keyspace: Keyspace, started: Reply, expected: str) -> Reply:
    """Click Verify expecting a refusal: an ephemeral message, the keyspace untouched."""
    before = await keyspace()
    reply = await verify(discord, started)
    assert expected in reply.last.content
    assert reply.last.ephemeral
    assert await keyspace() == before
    return reply


@pytest.mark.parametrize("handle", ["al ice", "alice!", "a_very_long_handle", "@"])
async def test_invalid_handle(discord: DiscordHarness, keyspace: Keyspace, handle: str) -> None:
    before = await keyspace()
    reply = await discord.slash("connect", {"handle": handle}, member=ALICE)
    assert "is not an X username" in reply.last.content
    assert reply.last.ephemeral
    assert reply.last.components == []
    assert await keyspace() == before


async def test_wrong_code(discord: DiscordHarness, fake_x: FakeX, keyspace: Keyspace) -> None:
    x_id = fake_x.add_user("alice")
    fake_x.set_description(x_id, "ENG-AAAAAA")
    started = await start(discord)
    await refused_click(discord, keyspace, started, "could not find your code")


async def test_code_on_someone_elses_account(discord: DiscordHarness, fake_x: FakeX, keyspace: Keyspace) -> None:
    fake_x.add_user("alice")
    mallory = fake_x.add_user("mallory")
    started = await start(discord)
    fake_x.set_description(mallory, code_in(started))
    fake_x.add_tweet(mallory, f"@alice {code_in(started)}")
    await refused_click(discord, keyspace, started, "could not find your code")


async def test_expired_code(discord: DiscordHarness, fake_x: FakeX, store: Store, keyspace: Keyspace) -> None:
    x_id = fake_x.add_user("alice")
    started = await start(discord)
    fake_x.set_description(x_id, code_in(started))
    await store.redis.delete(store.keys.verification(str(ALICE.id)))  # what the 15-minute TTL does
    await refused_click(discord, keyspace, started, "Your code has expired")


async def test_account_already_linked(discord: DiscordHarness, fake_x: FakeX, store: Store, keyspace: Keyspace) -> None:
    x_id = fake_x.add_user("alice")
    await store.link_account(str(BOB.id), x_id, "alice", "bio", "2026-11-18T00:00:00+00:00")
    started = await start(discord)
    fake_x.set_description(x_id, code_in(started))
    await refused_click(discord, keyspace, started, "already linked to another member")
    assert await store.member_for_x_user(x_id) == str(BOB.id)


async def test_x_rate_limited(discord: DiscordHarness, fake_x: FakeX, keyspace: Keyspace) -> None:
    fake_x.add_user("alice")
    started = await start(discord)
    fake_x.set_limit("user_by_username", 0)
    reply = await refused_click(discord, keyspace, started, "X is busy right now")
    assert "try again in 15 minutes" in reply.last.content


async def test_only_the_invoker_can_verify(discord: DiscordHarness, fake_x: FakeX, keyspace: Keyspace) -> None:
    x_id = fake_x.add_user("alice")
    started = await start(discord)
    fake_x.set_description(x_id, code_in(started))
    before = await keyspace()
    reply = await verify(discord, started, member=BOB)
    assert "belong to the member who ran the command" in reply.last.content
    assert reply.last.ephemeral
    assert await keyspace() == before


async def test_disconnect(discord: DiscordHarness, store: Store, alice_x: str) -> None:
    reply = await discord.slash("disconnect", member=ALICE)
    assert "Disconnected @alice" in reply.last.content
    assert reply.last.ephemeral
    assert await store.member_for_x_user(alice_x) is None
    again = await discord.slash("disconnect", member=ALICE)
    assert "You have no connected X account" in again.last.content
