"""Redeeming: points held, stock taken, the limit counted and the record written together, or nothing at all."""

from __future__ import annotations

import pytest

from engagement import shop
from engagement.errors import Refused
from engagement.store import Store
from tests.conftest import FakeClock, dump_keyspace
from tests.engagement.shop.world import ADMIN, ALICE, BOB, alltime, audits, member_with, reward

INTERACTION, RETRY = "1400000000000000001", "1400000000000000002"


async def test_a_redemption_holds_the_points_and_takes_one_from_stock(any_store: Store, clock: FakeClock) -> None:
    await member_with(any_store, ALICE, 120)
    listed = await reward(any_store, stock=3, role_id="1500000000000000001")
    done = await shop.redeem(any_store, ALICE, "sticker PACK", INTERACTION)
    assert done.redemption == shop.Redemption(
        1, INTERACTION, listed.id, "Sticker pack", ALICE, 50, "pending", clock.now, "1500000000000000001"
    )
    assert (done.balance, done.stock_left, done.repeated) == (shop.Balance(120, 50), 2, False)
    assert (await shop.balance(any_store, ALICE)).available == 70
    assert (await shop.find_reward(any_store, listed.id)).stock == 2
    assert [r.number for r in (await shop.my_redemptions(any_store, ALICE)).redemptions] == [1]
    assert [r.number for r in (await shop.pending_redemptions(any_store)).redemptions] == [1]


async def test_spending_changes_neither_the_all_time_score_nor_any_board(any_store: Store) -> None:
    await member_with(any_store, ALICE, 120)
    await member_with(any_store, BOB, 80)
    await reward(any_store)
    week = any_store.keys.leaderboard_weekly(any_store.week())
    boards_before = (await alltime(any_store), await any_store.redis.zrange(week, 0, -1, withscores=True))
    await shop.redeem(any_store, ALICE, "Sticker pack", INTERACTION)
    assert (await any_store.get_connection(ALICE)).points == 120  # type: ignore[union-attr]
    assert (await alltime(any_store), await any_store.redis.zrange(week, 0, -1, withscores=True)) == boards_before
    assert await alltime(any_store) == [(ALICE, 120.0), (BOB, 80.0)]


async def test_not_enough_points_says_the_balance_and_takes_nothing(any_store: Store) -> None:
    await member_with(any_store, ALICE, 70)
    await reward(any_store, "Hoodie", 60, stock=2)
    await shop.redeem(any_store, ALICE, "Hoodie", INTERACTION)
    before = await dump_keyspace(any_store.redis, f"{any_store.keys.prefix}:*")
    with pytest.raises(Refused) as refused:
        await shop.redeem(any_store, ALICE, "Hoodie", RETRY)
    assert str(refused.value) == (
        "**Hoodie** costs 60 points and you have 10 points to spend (70 all-time, 60 spent or held), "
        "so nothing was taken."
    )
    assert await dump_keyspace(any_store.redis, f"{any_store.keys.prefix}:*") == before


async def test_a_member_with_no_record_has_nothing_to_spend(any_store: Store) -> None:
    await reward(any_store)
    before = await dump_keyspace(any_store.redis, f"{any_store.keys.prefix}:*")
    with pytest.raises(Refused, match="you have 0 points to spend"):
        await shop.redeem(any_store, ALICE, "Sticker pack", INTERACTION)
    assert await dump_keyspace(any_store.redis, f"{any_store.keys.prefix}:*") == before


async def test_the_limit_per_member_counts_pending_and_fulfilled(any_store: Store) -> None:
    await member_with(any_store, ALICE, 1000)
    await member_with(any_store, BOB, 1000)
    await reward(any_store, limit=2)
    first = await shop.redeem(any_store, ALICE, "Sticker pack", "1400000000000000011")
    await shop.fulfil(any_store, ADMIN, first.redemption.number)
    await shop.redeem(any_store, ALICE, "Sticker pack", "1400000000000000012")
    before = await dump_keyspace(any_store.redis, f"{any_store.keys.prefix}:*")
    with pytest.raises(Refused) as refused:
        await shop.redeem(any_store, ALICE, "Sticker pack", "1400000000000000013")
    assert str(refused.value) == (
        "**Sticker pack** can be redeemed 2 times per member and you have 2 times (pending or fulfilled), "
        "so nothing was taken."
    )
    assert await dump_keyspace(any_store.redis, f"{any_store.keys.prefix}:*") == before
    await shop.redeem(any_store, BOB, "Sticker pack", "1400000000000000014")  # the limit is per member


async def test_a_refused_redemption_no_longer_counts_toward_the_limit(any_store: Store) -> None:
    await member_with(any_store, ALICE, 1000)
    await reward(any_store, limit=1)
    first = await shop.redeem(any_store, ALICE, "Sticker pack", "1400000000000000011")
    await shop.refuse(any_store, ADMIN, first.redemption.number, "out of stickers this week")
    again = await shop.redeem(any_store, ALICE, "Sticker pack", "1400000000000000012")
    assert again.redemption.number == 2


async def test_a_retired_reward_cannot_be_redeemed_but_its_redemptions_stay(any_store: Store) -> None:
    await member_with(any_store, ALICE, 1000)
    listed = await reward(any_store)
    first = await shop.redeem(any_store, ALICE, "Sticker pack", "1400000000000000011")
    await shop.retire_reward(any_store, ADMIN, "Sticker pack")
    before = await dump_keyspace(any_store.redis, f"{any_store.keys.prefix}:*")
    with pytest.raises(Refused, match=r"^\*\*Sticker pack\*\* is no longer offered \(an admin retired it\)"):
        await shop.redeem(any_store, ALICE, f"#{listed.id}", "1400000000000000012")
    with pytest.raises(Refused, match="No reward on offer is called `Sticker pack`"):
        await shop.redeem(any_store, ALICE, "Sticker pack", "1400000000000000012")  # its name is free again
    assert await dump_keyspace(any_store.redis, f"{any_store.keys.prefix}:*") == before
    assert (await shop.fulfil(any_store, ADMIN, first.redemption.number)).status == "fulfilled"


async def test_sold_out_takes_nothing(any_store: Store) -> None:
    await member_with(any_store, ALICE, 1000)
    await reward(any_store, stock=0)
    before = await dump_keyspace(any_store.redis, f"{any_store.keys.prefix}:*")
    with pytest.raises(Refused) as refused:
        await shop.redeem(any_store, ALICE, "Sticker pack", INTERACTION)
    assert str(refused.value) == (
        "**Sticker pack** is sold out; you still have 1,000 points to spend, so nothing was taken."
    )
    assert await dump_keyspace(any_store.redis, f"{any_store.keys.prefix}:*") == before


async def test_an_unknown_reward_is_refused(any_store: Store) -> None:
    await member_with(any_store, ALICE, 1000)
    for wanted in ("Unicorn", "#7", "", "  "):
        with pytest.raises(Refused, match="No reward on offer is called"):
            await shop.redeem(any_store, ALICE, wanted, INTERACTION)


async def test_the_same_request_twice_redeems_once_and_returns_the_first_outcome(any_store: Store) -> None:
    await member_with(any_store, ALICE, 120)
    await reward(any_store, stock=3)
    first = await shop.redeem(any_store, ALICE, "Sticker pack", INTERACTION)
    before = await dump_keyspace(any_store.redis, f"{any_store.keys.prefix}:*")
    again = await shop.redeem(any_store, ALICE, "Sticker pack", INTERACTION)
    assert await dump_keyspace(any_store.redis, f"{any_store.keys.prefix}:*") == before
    assert again.redemption == first.redemption
    assert (again.balance, again.repeated) == (first.balance, True)


async def test_a_refusal_refunds_the_points_and_restores_the_stock(any_store: Store, clock: FakeClock) -> None:
    await member_with(any_store, ALICE, 120)
    listed = await reward(any_store, stock=1)
    done = await shop.redeem(any_store, ALICE, "Sticker pack", INTERACTION)
    assert (await shop.find_reward(any_store, listed.id)).sold_out
    clock.advance(60)
    refused = await shop.refuse(any_store, ADMIN, done.redemption.number, "  not   in stock  ")
    assert (refused.status, refused.reason, refused.decided_by, refused.decided_at) == (
        "refused",
        "not in stock",
        ADMIN,
        clock.now,
    )
    assert await shop.balance(any_store, ALICE) == shop.Balance(120, 0)
    assert (await shop.find_reward(any_store, listed.id)).stock == 1
    assert (await shop.pending_redemptions(any_store)).total == 0
    assert [r.status for r in (await shop.my_redemptions(any_store, ALICE)).redemptions] == ["refused"]
    last = (await audits(any_store))[-1]
    assert (last["action"], last["actor"], last["target"]) == ("redemption-refuse", ADMIN, "redemption 1")
    assert (last["old"], last["new"], last["reason"]) == ("pending", "refused, 50 points refunded", "not in stock")


async def test_an_unlimited_reward_stays_unlimited_through_a_refusal(any_store: Store) -> None:
    await member_with(any_store, ALICE, 120)
    listed = await reward(any_store)
    done = await shop.redeem(any_store, ALICE, "Sticker pack", INTERACTION)
    assert done.stock_left is None
    await shop.refuse(any_store, ADMIN, done.redemption.number, "duplicate")
    assert (await shop.find_reward(any_store, listed.id)).stock is None


@pytest.mark.parametrize("first", ["fulfil", "refuse"])
@pytest.mark.parametrize("second", ["fulfil", "refuse"])
async def test_a_redemption_is_decided_once(any_store: Store, first: str, second: str) -> None:
    await member_with(any_store, ALICE, 120)
    await reward(any_store, stock=3)
    done = await shop.redeem(any_store, ALICE, "Sticker pack", INTERACTION)
    decide = {
        "fulfil": lambda n: shop.fulfil(any_store, ADMIN, n),
        "refuse": lambda n: shop.refuse(any_store, ADMIN, n, "no"),
    }
    await decide[first](done.redemption.number)
    before = await dump_keyspace(any_store.redis, f"{any_store.keys.prefix}:*")
    status = "fulfilled" if first == "fulfil" else "refused"
    with pytest.raises(Refused, match=rf"^Redemption #1 was {status} already \(by <@{ADMIN}> <t:\d+:R>\), so nothing"):
        await decide[second](done.redemption.number)
    assert await dump_keyspace(any_store.redis, f"{any_store.keys.prefix}:*") == before


async def test_fulfilment_is_audited_and_keeps_the_points_spent(any_store: Store) -> None:
    await member_with(any_store, ALICE, 120)
    await reward(any_store, stock=3)
    done = await shop.redeem(any_store, ALICE, "Sticker pack", INTERACTION)
    fulfilled = await shop.fulfil(any_store, ADMIN, done.redemption.number)
    assert (fulfilled.status, fulfilled.decided_by) == ("fulfilled", ADMIN)
    assert await shop.balance(any_store, ALICE) == shop.Balance(120, 50)
    last = (await audits(any_store))[-1]
    assert (last["action"], last["target"], last["old"], last["new"]) == (
        "redemption-fulfil",
        "redemption 1",
        "pending",
        "fulfilled",
    )


@pytest.mark.parametrize("number", [0, -1, 10**13, True])
async def test_a_bad_redemption_number_is_refused(any_store: Store, number: int) -> None:
    with pytest.raises(Exception, match="A redemption number is a whole number"):
        await shop.fulfil(any_store, ADMIN, number)


async def test_an_unknown_redemption_number_is_refused(any_store: Store) -> None:
    with pytest.raises(Refused, match="There is no redemption #4"):
        await shop.refuse(any_store, ADMIN, 4, "why")


async def test_a_refusal_needs_a_reason(any_store: Store) -> None:
    await member_with(any_store, ALICE, 120)
    await reward(any_store)
    done = await shop.redeem(any_store, ALICE, "Sticker pack", INTERACTION)
    before = await dump_keyspace(any_store.redis, f"{any_store.keys.prefix}:*")
    with pytest.raises(Exception, match="A reason is required"):
        await shop.refuse(any_store, ADMIN, done.redemption.number, "   ")
    assert await dump_keyspace(any_store.redis, f"{any_store.keys.prefix}:*") == before


async def test_a_negative_adjustment_can_leave_the_balance_below_zero(any_store: Store) -> None:
    await member_with(any_store, ALICE, 100)
    await reward(any_store, cost=100)
    await shop.redeem(any_store, ALICE, "Sticker pack", INTERACTION)
    await any_store.adjust_points(ADMIN, ALICE, -30, "farming")
    assert (await shop.balance(any_store, ALICE)).available == -30
    with pytest.raises(Refused, match="you have -30 points to spend"):
        await shop.redeem(any_store, ALICE, "Sticker pack", RETRY)
