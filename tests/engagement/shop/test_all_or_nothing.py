"""Each shop write that touches several keys is whole or untouched, whatever one of its keys holds (real server).

The shared damage cases cover every key's type and the `points` counter; the shop's own numbers
(a reward's cost, stock and limit, and the per-member fields of `spent` and `claims`) are damaged here.
"""

from __future__ import annotations

from typing import Any

import pytest

from engagement import shop
from engagement.errors import DamagedData
from engagement.store import Store
from engagement.store._shop import NewReward
from tests.conftest import dump_keyspace
from tests.engagement.shop.world import ADMIN, ALICE, member_with, reward
from tests.engagement.store._damage import Write, clear, damage_cases, healthy_run, run_damaged

pytestmark = pytest.mark.redis

REQUEST = "1400000000000000001"


async def _offered(store: Store) -> None:
    await member_with(store, ALICE, 500)
    await reward(store, stock=5, limit=3)
    await shop.redeem(store, ALICE, "Sticker pack", "1400000000000000099")  # spent and claims exist


async def _redeemed(store: Store) -> None:
    await _offered(store)
    await shop.redeem(store, ALICE, "Sticker pack", REQUEST)


async def _decide(store: Store, decision: str) -> Any:
    raw = await store.redemption_by_number("2") or {"request_id": REQUEST, "reward_id": "1", "discord_id": ALICE}
    return await store.decide_redemption(ADMIN, raw, decision, "no" if decision == "refused" else "")


def _ok(outcome: Any) -> bool:
    return getattr(outcome, "status", None) == "ok"


WRITES = [
    Write("redeem", _offered, lambda s: s.redeem(ALICE, "1", REQUEST), _ok),
    Write("fulfil", _redeemed, lambda s: _decide(s, "fulfilled"), _ok),
    Write("refuse", _redeemed, lambda s: _decide(s, "refused"), _ok),
    Write("stock", _offered, lambda s: s.set_reward_stock(ADMIN, "1", 9), _ok),
    Write("retire", _offered, lambda s: s.retire_reward(ADMIN, "1", "sticker pack"), _ok),
    Write(
        "add",
        _offered,
        lambda s: s.add_reward(ADMIN, NewReward("Hoodie", "", 5, None, None, None), "hoodie"),
        lambda r: r is not None,
    ),
]


@pytest.mark.parametrize("write", WRITES, ids=[write.name for write in WRITES])
async def test_one_damaged_key_leaves_a_shop_write_whole_or_untouched(real_store: Store, write: Write) -> None:
    given, healthy_changes = await healthy_run(real_store, write)
    await clear(real_store)
    await write.setup(real_store)
    healthy_state = await dump_keyspace(real_store.redis, f"{real_store.keys.prefix}:*")
    tried = 0
    for key in sorted(given | healthy_changes):
        for damage in damage_cases(key, healthy_state.get(key)):
            went_through, changed = await run_damaged(real_store, write, damage)
            where = f"{write.name}, {damage.key} {damage.how}"
            if went_through:
                assert changed - healthy_changes <= {damage.key}, f"{where}: went through but changed {changed}"
            else:
                assert changed == set(), f"{where}: refused but changed {sorted(changed)}"
            tried += 1
    assert tried >= 5


SHOP_NUMBERS = [
    ("reward", "cost"),
    ("reward", "stock"),
    ("reward", "limit"),
    ("spent", ALICE),
    ("claims", ALICE),
]


def _key(store: Store, which: str) -> str:
    return {
        "reward": store.keys.shop_reward("1"),
        "spent": store.keys.shop_spent(),
        "claims": store.keys.shop_claims("1"),
    }[which]


@pytest.mark.parametrize(("which", "field"), SHOP_NUMBERS, ids=[f"{w} {f[:6]}" for w, f in SHOP_NUMBERS])
@pytest.mark.parametrize("write", WRITES[:3], ids=[write.name for write in WRITES[:3]])
@pytest.mark.parametrize("bad", ["oops", "1.5"])
async def test_a_non_number_in_a_shop_field_refuses_and_changes_nothing(
    real_store: Store, write: Write, which: str, field: str, bad: str
) -> None:
    await clear(real_store)
    await write.setup(real_store)
    await real_store.redis.hset(_key(real_store, which), field, bad)
    before = await dump_keyspace(real_store.redis, f"{real_store.keys.prefix}:*")
    with pytest.raises(DamagedData, match="is not an integer"):
        await write.act(real_store)
    assert await dump_keyspace(real_store.redis, f"{real_store.keys.prefix}:*") == before
