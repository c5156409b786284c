"""Races on a real server: 100 members for the last 5 items, and one member's request arriving twice at once."""

from __future__ import annotations

import asyncio

import pytest

from engagement import shop
from engagement.errors import Refused
from engagement.store import Store
from tests.engagement.shop.world import ALICE, member_id, member_with, reward

pytestmark = pytest.mark.redis

MEMBERS, STOCK, COST, POINTS = 100, 5, 30, 100


async def test_a_hundred_members_race_for_five_items(real_store: Store) -> None:
    members = [member_id(n) for n in range(MEMBERS)]
    for member in members:
        await member_with(real_store, member, POINTS)
    listed = await reward(real_store, "Last hoodies", COST, stock=STOCK)
    results = await asyncio.gather(
        *(
            shop.redeem(real_store, member, "Last hoodies", str(1400000000000000000 + n))
            for n, member in enumerate(members)
        ),
        return_exceptions=True,
    )
    won = [result for result in results if isinstance(result, shop.Redeemed)]
    lost = [result for result in results if not isinstance(result, shop.Redeemed)]
    assert len(won) == STOCK
    assert len(lost) == MEMBERS - STOCK
    assert all(isinstance(refusal, Refused) and "is sold out" in str(refusal) for refusal in lost)
    assert sorted(result.redemption.number for result in won) == list(range(1, STOCK + 1))
    assert sorted(result.stock_left or 0 for result in won) == list(range(STOCK))
    winners = {result.redemption.discord_id for result in won}
    for member in members:
        expected = POINTS - COST if member in winners else POINTS
        assert await shop.balance(real_store, member) == shop.Balance(POINTS, POINTS - expected), member
    assert (await shop.find_reward(real_store, listed.id)).stock == 0
    assert (await shop.pending_redemptions(real_store)).total == STOCK


async def test_the_same_request_twice_at_once_redeems_once(real_store: Store) -> None:
    await member_with(real_store, ALICE, POINTS)
    listed = await reward(real_store, "Hoodie", COST, stock=STOCK)
    first, second = await asyncio.gather(
        *(shop.redeem(real_store, ALICE, "Hoodie", "1400000000000000777") for _ in "ab")
    )
    assert first.redemption == second.redemption
    assert sorted([first.repeated, second.repeated]) == [False, True]
    assert await shop.balance(real_store, ALICE) == shop.Balance(POINTS, COST)
    assert (await shop.find_reward(real_store, listed.id)).stock == STOCK - 1
    assert (await shop.my_redemptions(real_store, ALICE)).total == 1
    assert await real_store.redis.get(real_store.keys.redemption_sequence()) == "1"
