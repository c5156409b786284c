"""Rewards admins list: every bad value refused with what is wrong, names unique on offer, changes audited."""

from __future__ import annotations

from typing import Any

import pytest

from engagement import shop
from engagement.errors import InvalidInput, Refused
from engagement.store import Store
from tests.conftest import dump_keyspace
from tests.engagement.shop.world import ADMIN, ALICE, audits, member_with, reward


async def test_a_listed_reward_is_stored_and_audited(store: Store) -> None:
    role = "1500000000000000001"
    listed = await reward(store, "Discord Nitro", 500, stock=10, limit=1, role_id=role, description="A month of Nitro")
    assert listed == shop.Reward("1", "Discord Nitro", "A month of Nitro", 500, 10, 1, "1500000000000000001", False)
    [entry] = await audits(store)
    assert (entry["action"], entry["actor"], entry["target"], entry["old"]) == ("reward-add", ADMIN, "reward 1", "")
    assert entry["new"] == "Discord Nitro cost=500 stock=10 limit=1 role=1500000000000000001"


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"name": ""}, "A reward name is required"),
        ({"name": "x" * 61}, "A reward name must be at most 60 characters"),
        ({"name": "42"}, "A reward name needs a letter"),
        ({"name": "#42"}, "A reward name needs a letter"),
        ({"cost": 0}, "The cost must be a whole number from 1 to 1,000,000"),
        ({"cost": 1_000_001}, "The cost must be a whole number from 1 to 1,000,000"),
        ({"cost": True}, "The cost must be a whole number"),
        ({"stock": -1}, "The stock must be a whole number from 0 to 1,000,000"),
        ({"stock": 1_000_001}, "The stock must be a whole number from 0 to 1,000,000"),
        ({"limit": 0}, "The limit per member must be a whole number from 1 to 1,000"),
        ({"limit": 1001}, "The limit per member must be a whole number from 1 to 1,000"),
        ({"description": "d" * 301}, "A description must be at most 300 characters"),
    ],
)
def test_bad_reward_values_are_refused(fields: dict[str, Any], message: str) -> None:
    values: dict[str, Any] = {"name": "Sticker", "cost": 5, "description": "", "stock": None, "limit": None}
    with pytest.raises(InvalidInput, match=message):
        shop.check_reward(**{**values, **fields}, role_id=None)


def test_the_limits_themselves_are_accepted() -> None:
    checked = shop.check_reward("x" * 60, 1_000_000, "d" * 300, 1_000_000, 1000, None)
    assert (checked.cost, checked.stock, checked.limit) == (1_000_000, 1_000_000, 1000)
    assert shop.check_reward("Free", 1, None, 0, 1, None).stock == 0


def test_roles_everyone_has_or_nobody_can_grant_are_refused() -> None:
    with pytest.raises(InvalidInput, match="@everyone cannot be a reward's role"):
        shop.check_role(1100000000000000003, True, False)
    with pytest.raises(InvalidInput, match="managed by an integration"):
        shop.check_role(1500000000000000001, False, True)
    assert shop.check_role(1500000000000000001, False, False) == "1500000000000000001"


async def test_a_name_on_offer_is_refused_in_any_case_and_nothing_changes(store: Store) -> None:
    await reward(store, "Sticker pack")
    before = await dump_keyspace(store.redis)
    with pytest.raises(Refused, match=r"A reward called \*\*STICKER PACK\*\* is on offer already"):
        await reward(store, "STICKER PACK")
    assert await dump_keyspace(store.redis) == before  # not even the id sequence moved


async def test_stock_changes_are_audited(store: Store) -> None:
    await reward(store, stock=2)
    change = await shop.set_stock(store, ADMIN, "sticker pack", 40)
    assert (change.old, change.new, change.reward.name) == (2, 40, "Sticker pack")
    change = await shop.set_stock(store, ADMIN, "1", None)
    assert (change.old, change.new) == (40, None)
    assert (await shop.find_reward(store, "1")).stock is None
    assert [(e["action"], e["old"], e["new"]) for e in (await audits(store))[1:]] == [
        ("reward-stock", "2", "40"),
        ("reward-stock", "40", "unlimited"),
    ]


@pytest.mark.parametrize(
    ("stock", "unlimited", "message"),
    [(None, False, "Give the new stock"), (5, True, "not both"), (-1, False, "The stock must be")],
)
def test_a_stock_change_needs_exactly_one_value(stock: int | None, unlimited: bool, message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        shop.stock_value(stock, unlimited)


async def test_retiring_hides_a_reward_and_refuses_its_restock(store: Store) -> None:
    await reward(store, "Sticker pack")
    await reward(store, "Hoodie", 300)
    retired = await shop.retire_reward(store, ADMIN, "Sticker pack")
    await member_with(store, ALICE, 10)
    page = await shop.shop_page(store, ALICE)
    assert [r.name for r in page.rewards] == ["Hoodie"]
    before = await dump_keyspace(store.redis)
    with pytest.raises(Refused, match=r"\*\*Sticker pack\*\* is retired, so its stock stays"):
        await shop.set_stock(store, ADMIN, retired.id, 4)
    with pytest.raises(Refused, match="is retired already"):
        await shop.retire_reward(store, ADMIN, retired.id)
    assert await dump_keyspace(store.redis) == before
    assert [e["action"] for e in await audits(store)].count("reward-retire") == 1
    assert (await reward(store, "Sticker pack")).id == "3"  # the name may be listed again


async def test_the_shop_page_shows_the_balance_and_the_viewers_claims(store: Store) -> None:
    await member_with(store, ALICE, 500)
    for n in range(12):
        await reward(store, f"Reward {n:02d}", 10 + n, limit=3 if n == 1 else None)
    await shop.redeem(store, ALICE, "Reward 01", "1400000000000000001")
    page = await shop.shop_page(store, ALICE)
    assert (page.page, page.pages, page.total, len(page.rewards)) == (1, 2, 12, 10)
    assert page.balance == shop.Balance(500, 11)
    assert page.claims == {"2": 1}
    last = await shop.shop_page(store, ALICE, 9)  # past the end: the last page
    assert (last.page, [r.name for r in last.rewards]) == (2, ["Reward 10", "Reward 11"])


async def test_names_are_shown_with_markdown_escaped(store: Store) -> None:
    await reward(store, "*Bold* _move_")
    await member_with(store, ALICE, 1)
    with pytest.raises(Refused, match=r"^\*\*\\\*Bold\\\* \\_move\\_\*\* costs"):
        await shop.redeem(store, ALICE, "*bold* _move_", "1400000000000000001")


async def test_autocomplete_names_match_any_case(store: Store) -> None:
    await reward(store, "Sticker pack")
    await reward(store, "Hoodie", 300)
    assert await shop.reward_names(store, "HOO") == ["Hoodie"]
    assert await shop.reward_names(store, "") == ["Sticker pack", "Hoodie"]
