from __future__ import annotations

import pytest

from engagement.errors import InvalidInput, Refused
from engagement.store import Store
from tests.conftest import dump_keyspace

ALICE, BOB = "111111111111111111", "222222222222222222"
AT = "2026-11-18T00:00:00+00:00"


async def test_link_writes_hash_and_both_reverse_keys(store: Store) -> None:
    await store.link_account(ALICE, "2244", "Alice", "bio", AT)
    assert await store.redis.hgetall("test:connection:" + ALICE) == {
        "discord_id": ALICE,
        "x_user_id": "2244",
        "handle": "alice",
        "tier": "1",
        "points": "0",
        "connected_at": AT,
        "verified_by": "bio",
        "past_x_ids": "",
    }
    assert await store.redis.get("test:twitter:alice") == ALICE
    assert await store.member_for_x_user("2244") == ALICE


async def test_account_linked_to_another_member_is_refused_and_nothing_changes(store: Store) -> None:
    await store.link_account(ALICE, "2244", "alice", "bio", AT)
    before = await dump_keyspace(store.redis)
    with pytest.raises(Refused, match="already linked to another member"):
        await store.link_account(BOB, "2244", "alice", "tweet", AT)
    assert await dump_keyspace(store.redis) == before


async def test_relink_moves_reverse_keys_and_keeps_tier_and_points(store: Store) -> None:
    await store.link_account(ALICE, "2244", "alice", "bio", AT)
    await store.set_tier(BOB, ALICE, 3)
    await store.redis.hset("test:connection:" + ALICE, "points", 40)
    assert await store.link_account(ALICE, "9999", "alice2", "tweet", AT) == "2244"
    assert await store.member_for_x_user("2244") is None
    assert await store.redis.get("test:twitter:alice") is None
    assert await store.member_for_x_user("9999") == ALICE
    member = await store.get_connection(ALICE)
    assert member is not None
    assert (member.tier, member.points, member.handle, member.verified_by) == (3, 40, "alice2", "tweet")


async def test_unlink_removes_link_but_keeps_points_and_tier(store: Store) -> None:
    await store.link_account(ALICE, "2244", "alice", "bio", AT)
    await store.set_tier(BOB, ALICE, 2)
    await store.unlink_account(ALICE)
    member = await store.get_connection(ALICE)
    assert member is not None
    assert not member.connected
    assert member.tier == 2
    assert await store.member_for_x_user("2244") is None
    assert await store.redis.get("test:twitter:alice") is None
    await store.link_account(BOB, "2244", "alice", "bio", AT)  # the account is free again


async def test_unlink_racing_a_relink_leaves_no_half_linked_account(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """/disconnect reads the link, then the member's /connect moves it before the unlink is written."""
    await store.link_account(ALICE, "2244", "alice", "bio", AT)
    read = store.get_connection
    raced = False

    async def read_then_relink(discord_id: str) -> object:
        nonlocal raced
        current = await read(discord_id)
        if not raced:
            raced = True
            await store.link_account(ALICE, "9999", "alice2", "oauth", AT)
        return current

    monkeypatch.setattr(store, "get_connection", read_then_relink)
    await store.unlink_account(ALICE)
    monkeypatch.undo()

    member = await store.get_connection(ALICE)
    assert member is not None
    assert not member.connected
    assert await store.member_for_x_user("9999") is None, "no award may go to a member shown as disconnected"
    assert await store.redis.get("test:twitter:alice2") is None
    assert await store.member_for_x_user("2244") is None


async def test_set_tier_audits_in_the_same_step_and_needs_a_connection(store: Store) -> None:
    assert await store.set_tier(BOB, ALICE, 2) is None
    assert await store.redis.exists("test:connection:" + ALICE, "test:audit") == 0
    await store.link_account(ALICE, "2244", "alice", "bio", AT)
    assert await store.set_tier(BOB, ALICE, 2) == 1
    entries = await store.audit_entries()
    assert entries[0]["actor"] == BOB
    assert (entries[0]["action"], entries[0]["target"], entries[0]["old"], entries[0]["new"]) == (
        "tier",
        ALICE,
        "1",
        "2",
    )


@pytest.mark.parametrize(
    ("discord_id", "x_id", "handle"),
    [("12a", "1", "ok"), ("1", "x", "ok"), ("1", "2", "a b"), ("1", "2", "a:b"), ("1", "2", "a*")],
)
async def test_bad_values_refused_before_any_write(store: Store, discord_id: str, x_id: str, handle: str) -> None:
    with pytest.raises(InvalidInput):
        await store.link_account(discord_id, x_id, handle, "bio", AT)
    assert await store.redis.keys("*") == []


async def test_verification_code_expires(store: Store) -> None:
    await store.save_verification(ALICE, "ENG-ABC123", "alice")
    assert await store.get_verification(ALICE) == {"code": "ENG-ABC123", "handle": "alice"}
    assert 0 < await store.redis.ttl("test:verify:" + ALICE) <= 900
