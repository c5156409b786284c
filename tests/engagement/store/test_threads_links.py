"""A member's Threads account: linked beside their X account, one member per account, reverse keys kept exact."""

from __future__ import annotations

import pytest

from engagement.errors import Refused
from engagement.store import Store
from tests.conftest import dump_keyspace

ALICE, BOB = "111111111111111111", "222222222222222222"
AT = "2026-12-01T00:00:00+00:00"


async def test_a_threads_link_sits_beside_the_x_link(any_store: Store) -> None:
    store = any_store
    await store.link_account(ALICE, "10", "alice", "bio", AT)
    assert await store.link_threads_account(ALICE, "31", "Alice.Threads", AT) is None
    connection = await store.get_connection(ALICE)
    assert connection is not None
    assert (connection.x_user_id, connection.threads_user_id, connection.threads_username) == (
        "10",
        "31",
        "alice.threads",
    )
    owners = await store.members_for_x_users(["10", "threads:alice.threads", "threads:someone"])
    assert owners == {"10": ALICE, "threads:alice.threads": ALICE}


async def test_a_member_linked_on_threads_only_has_a_record_with_points_and_tier(any_store: Store) -> None:
    await any_store.link_threads_account(BOB, "41", "bob", AT)
    connection = await any_store.get_connection(BOB)
    assert connection is not None
    assert (connection.connected, connection.threads_username, connection.tier, connection.points) == (
        False, "bob", 1, 0,
    )  # fmt: skip
    assert await any_store.set_tier("1", BOB, 2) == 1  # a Threads-only member has a tier an admin can set


async def test_an_account_linked_to_another_member_is_refused_and_nothing_changes(any_store: Store) -> None:
    await any_store.link_threads_account(ALICE, "31", "alice", AT)
    before = await dump_keyspace(any_store.redis, f"{any_store.keys.prefix}:*")
    with pytest.raises(Refused, match="already linked to another member"):
        await any_store.link_threads_account(BOB, "31", "alice", AT)
    with pytest.raises(Refused, match="already linked to another member"):  # the username's key is taken too
        await any_store.link_threads_account(BOB, "99", "alice", AT)
    assert await dump_keyspace(any_store.redis, f"{any_store.keys.prefix}:*") == before


async def test_relinking_moves_the_reverse_keys_and_unlinking_removes_them(any_store: Store) -> None:
    store = any_store
    await store.link_threads_account(ALICE, "31", "alice", AT)
    assert await store.link_threads_account(ALICE, "32", "alice_new", AT) == "31"
    assert await store.members_for_x_users(["threads:alice", "threads:alice_new"]) == {"threads:alice_new": ALICE}
    assert not await store.redis.exists(store.keys.threads_id("31"))
    assert await store.unlink_threads_account(ALICE) == ("32", "alice_new")
    assert await store.members_for_x_users(["threads:alice_new"]) == {}
    assert not await store.redis.exists(store.keys.threads_id("32"))
    assert await store.unlink_threads_account(ALICE) is None
    connection = await store.get_connection(ALICE)
    assert connection is not None
    assert connection.threads_username is None
