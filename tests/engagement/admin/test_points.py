from __future__ import annotations

import pytest

from engagement.admin import MAX_ADJUSTMENT, adjust_points, delete_tweet
from engagement.errors import InvalidInput, Refused
from engagement.store import Store
from tests.engagement.admin.world import ADMIN, ALICE, BOB, TWEET_ID, award, connect, keyspace, submit


async def test_adjustment_moves_points_boards_and_history(any_store: Store) -> None:
    await connect(any_store, ALICE)
    await connect(any_store, BOB)
    await submit(any_store, ALICE, TWEET_ID)
    await award(any_store, TWEET_ID, BOB, "retweet", 2)
    result = await adjust_points(any_store, ADMIN, BOB, 25, "  won the   art contest ")
    assert (result.total, result.reason) == (27, "won the art contest")
    assert await any_store.rank_and_points(BOB, weekly=False) == (1, 27)
    assert await any_store.rank_and_points(BOB, weekly=True) == (1, 27)
    latest = (await any_store.recent_logs(BOB))[0]
    assert (latest.type, latest.points, latest.reason, latest.id) == ("adjust", 25, "won the art contest", "adj-1")
    connection = await any_store.get_connection(BOB)
    assert connection is not None
    assert connection.counts["retweet"] == 1  # an adjustment is not an engagement
    minus = await adjust_points(any_store, ADMIN, BOB, -30, "spam")
    assert minus.total == -3
    assert await any_store.rank_and_points(BOB, weekly=False) == (1, -3)
    entry = (await any_store.audit_entries(1))[0]
    assert (entry["action"], entry["target"], entry["old"], entry["new"], entry["reason"]) == (
        "points-adjust",
        BOB,
        "27",
        "-3",
        "spam",
    )


@pytest.mark.parametrize(
    ("delta", "reason"),
    [(0, "why"), (MAX_ADJUSTMENT + 1, "why"), (-MAX_ADJUSTMENT - 1, "why"), ("5", "why"), (True, "why"), (5, "  ")],
)
async def test_bad_values_are_refused_and_nothing_changes(store: Store, delta: object, reason: object) -> None:
    await connect(store, BOB)
    before = await keyspace(store)
    with pytest.raises(InvalidInput):
        await adjust_points(store, ADMIN, BOB, delta, reason)
    assert await keyspace(store) == before


async def test_a_member_without_a_record_is_refused(store: Store) -> None:
    with pytest.raises(Refused):
        await adjust_points(store, ADMIN, BOB, 5, "welcome")
    assert await store.rank_and_points(BOB, weekly=False) == (None, 0)
    assert await store.audit_entries() == []


async def test_points_go_below_zero_only_through_an_adjustment(any_store: Store) -> None:
    """Awards add 0 or more and revoking takes back exactly what was paid; only an admin's negative delta goes
    below zero. The connection hash and both boards agree throughout (the README's claim)."""
    await connect(any_store, ALICE)
    await connect(any_store, BOB)
    await submit(any_store, ALICE, TWEET_ID)
    await award(any_store, TWEET_ID, BOB, "retweet", 2)
    await award(any_store, TWEET_ID, BOB, "reply", 3)
    await delete_tweet(any_store, ADMIN, TWEET_ID, revoke=True)
    assert await totals(any_store, BOB) == (0, 0, 0)
    await adjust_points(any_store, ADMIN, BOB, -5, "spam")
    assert await totals(any_store, BOB) == (-5, -5, -5)


async def totals(store: Store, member: str) -> tuple[int, int, int]:
    connection = await store.get_connection(member)
    assert connection is not None
    _, alltime = await store.rank_and_points(member, weekly=False)
    _, weekly = await store.rank_and_points(member, weekly=True)
    return connection.points, alltime, weekly
