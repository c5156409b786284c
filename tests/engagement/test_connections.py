from __future__ import annotations

import re

import pytest

from engagement.connections import change_tier, disconnect, start_connect, verify_connect
from engagement.errors import InvalidInput, NotConnected, Refused
from engagement.models import VerifiedBy
from engagement.services import Services
from engagement.store import Store
from engagement.x.errors import RateLimited
from sandbox.fake_x import FakeX
from tests.fakes.discord_fixtures import Keyspace

ALICE = "111111111111111111"
BOB = "222222222222222222"


async def test_start_issues_a_code_kept_for_fifteen_minutes(services: Services, store: Store) -> None:
    pending = await start_connect(services, ALICE, "@Alice_X")
    assert re.fullmatch(r"ENG-[A-HJ-NP-Z2-9]{6}", pending.code)
    assert pending.handle == "alice_x"
    assert await store.get_verification(ALICE) == {"code": pending.code, "handle": "alice_x"}
    assert 0 < await store.redis.ttl(store.keys.verification(ALICE)) <= 15 * 60


async def test_a_new_code_replaces_the_old_one(services: Services, store: Store) -> None:
    first = await start_connect(services, ALICE, "alice")
    second = await start_connect(services, ALICE, "alice")
    assert (await store.get_verification(ALICE))["code"] == second.code != first.code


@pytest.mark.parametrize("handle", ["", "al ice", "alice!", "a" * 16, "алиса", "@"])
async def test_invalid_handle_writes_nothing(services: Services, keyspace: Keyspace, handle: str) -> None:
    before = await keyspace()
    with pytest.raises(InvalidInput, match="not an X username"):
        await start_connect(services, ALICE, handle)
    assert await keyspace() == before


async def test_code_in_bio_links_the_numeric_id(services: Services, store: Store, fake_x: FakeX) -> None:
    x_id = fake_x.add_user("Alice")
    pending = await start_connect(services, ALICE, "alice")
    fake_x.set_description(x_id, f"gm. {pending.code}")
    result = await verify_connect(services, ALICE)
    assert (result.x_user_id, result.handle, result.verified_by) == (x_id, "alice", VerifiedBy.BIO)
    connection = await store.get_connection(ALICE)
    assert connection is not None
    assert (connection.x_user_id, connection.handle, connection.verified_by) == (x_id, "alice", "bio")
    assert await store.member_for_x_user(x_id) == ALICE
    assert await store.get_verification(ALICE) == {}


async def test_code_in_a_recent_post_links_by_tweet(services: Services, store: Store, fake_x: FakeX) -> None:
    x_id = fake_x.add_user("alice")
    pending = await start_connect(services, ALICE, "alice")
    fake_x.add_tweet(x_id, f"Joining the club {pending.code}")
    result = await verify_connect(services, ALICE)
    assert result.verified_by is VerifiedBy.TWEET
    assert await store.member_for_x_user(x_id) == ALICE


async def verify_refused(
    services: Services, keyspace: Keyspace, error: type[Exception], match: str, member: str = ALICE
) -> None:
    """Press Verify expecting `error`; the keyspace must be exactly as before."""
    before = await keyspace()
    with pytest.raises(error, match=match):
        await verify_connect(services, member)
    assert await keyspace() == before


async def test_code_on_another_account_does_not_prove_ownership(
    services: Services, fake_x: FakeX, keyspace: Keyspace
) -> None:
    fake_x.add_user("alice")
    bob_x = fake_x.add_user("bob")
    pending = await start_connect(services, ALICE, "alice")
    fake_x.set_description(bob_x, pending.code)
    fake_x.add_tweet(bob_x, f"@alice {pending.code}")
    await verify_refused(services, keyspace, Refused, "could not find your code")


async def test_wrong_code_is_refused(services: Services, fake_x: FakeX, keyspace: Keyspace) -> None:
    x_id = fake_x.add_user("alice")
    old = await start_connect(services, ALICE, "alice")
    await start_connect(services, ALICE, "alice")
    fake_x.set_description(x_id, old.code)
    await verify_refused(services, keyspace, Refused, "could not find your code")


async def test_expired_or_missing_code_is_refused(services: Services, store: Store, fake_x: FakeX) -> None:
    x_id = fake_x.add_user("alice")
    pending = await start_connect(services, ALICE, "alice")
    fake_x.set_description(x_id, pending.code)
    await store.redis.delete(store.keys.verification(ALICE))  # what the 15-minute TTL does
    with pytest.raises(Refused, match="expired"):
        await verify_connect(services, ALICE)
    assert await store.get_connection(ALICE) is None


async def test_unknown_account_is_refused(services: Services, store: Store) -> None:
    await start_connect(services, ALICE, "nobody_here")
    with pytest.raises(Refused, match="no account named @nobody_here"):
        await verify_connect(services, ALICE)
    assert await store.get_connection(ALICE) is None


async def test_account_linked_to_another_member_is_refused(
    services: Services, store: Store, fake_x: FakeX, keyspace: Keyspace
) -> None:
    x_id = fake_x.add_user("alice", description="")
    first = await start_connect(services, ALICE, "alice")
    fake_x.set_description(x_id, first.code)
    await verify_connect(services, ALICE)
    second = await start_connect(services, BOB, "alice")
    fake_x.set_description(x_id, second.code)
    await verify_refused(services, keyspace, Refused, "already linked to another member", member=BOB)
    assert await store.member_for_x_user(x_id) == ALICE


async def test_reconnecting_moves_the_link(services: Services, store: Store, fake_x: FakeX) -> None:
    old_x, new_x = fake_x.add_user("alice"), fake_x.add_user("alice_two")
    for handle, x_id in (("alice", old_x), ("alice_two", new_x)):
        pending = await start_connect(services, ALICE, handle)
        fake_x.set_description(x_id, pending.code)
        result = await verify_connect(services, ALICE)
    assert result.replaced_x_user_id == old_x
    assert await store.member_for_x_user(old_x) is None
    assert await store.member_for_x_user(new_x) == ALICE
    assert not await store.redis.exists(store.keys.twitter_handle("alice"))


async def test_rate_limited_lookup_writes_nothing(services: Services, fake_x: FakeX, keyspace: Keyspace) -> None:
    fake_x.add_user("alice")
    await start_connect(services, ALICE, "alice")
    fake_x.set_limit("user_by_username", 0)
    await verify_refused(services, keyspace, RateLimited, "rate limit")


async def test_disconnect_keeps_points_and_tier(services: Services, store: Store) -> None:
    await store.link_account(ALICE, "42", "alice", "bio", "2026-11-18T00:00:00+00:00")
    await store.set_tier(BOB, ALICE, 3)
    removed = await disconnect(services, ALICE)
    assert removed.handle == "alice"
    connection = await store.get_connection(ALICE)
    assert connection is not None
    assert (connection.connected, connection.tier) == (False, 3)
    assert await store.member_for_x_user("42") is None
    with pytest.raises(NotConnected):
        await disconnect(services, ALICE)


async def test_change_tier_writes_tier_and_audit(services: Services, store: Store) -> None:
    await store.link_account(ALICE, "42", "alice", "bio", "2026-11-18T00:00:00+00:00")
    assert await change_tier(services, BOB, ALICE, 2) == (1, 2)
    connection = await store.get_connection(ALICE)
    assert connection is not None
    assert connection.tier == 2
    [entry] = await store.audit_entries()
    assert (entry["actor"], entry["action"], entry["target"], entry["old"], entry["new"]) == (
        BOB,
        "tier",
        ALICE,
        "1",
        "2",
    )


@pytest.mark.parametrize(
    ("level", "bot", "error"),
    [(0, False, InvalidInput), (4, False, InvalidInput), (-1, False, InvalidInput), (2, True, Refused)],
)
async def test_change_tier_refusals_write_nothing(
    services: Services, store: Store, keyspace: Keyspace, level: int, bot: bool, error: type[Exception]
) -> None:
    await store.link_account(ALICE, "42", "alice", "bio", "2026-11-18T00:00:00+00:00")
    before = await keyspace()
    with pytest.raises(error):
        await change_tier(services, BOB, ALICE, level, member_is_bot=bot)
    assert await keyspace() == before


async def test_change_tier_of_unconnected_member_is_refused(services: Services, keyspace: Keyspace) -> None:
    before = await keyspace()
    with pytest.raises(NotConnected):
        await change_tier(services, BOB, ALICE, 2)
    assert await keyspace() == before
