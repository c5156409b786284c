from __future__ import annotations

import pytest

from engagement.admin import reset_rules, set_rule, show_rules
from engagement.errors import InvalidInput
from engagement.store import Store
from rules import default_rules
from tests.engagement.admin.world import ADMIN, audit_actions, keyspace


async def test_show_set_reset(store: Store) -> None:
    assert (await show_rules(store)).table == default_rules()
    assert await set_rule(store, ADMIN, 2, "reply", 10) == (6, 10)
    assert await set_rule(store, ADMIN, "2", "reply", "12") == (10, 12)
    view = await show_rules(store)
    assert view.table[(2, "reply")] == 12
    assert view.overridden == frozenset({(2, "reply")})
    assert await reset_rules(store, ADMIN) == 1
    assert (await show_rules(store)).table == default_rules()
    actions = [(e["action"], e["target"], e["old"], e["new"]) for e in await audit_actions(store)]
    assert actions == [
        ("rule", "2-reply", "6", "10"),
        ("rule", "2-reply", "10", "12"),
        ("rules-reset", "all", "", "defaults"),
    ]


async def test_a_hand_edited_bad_override_is_shown_as_ignored(store: Store) -> None:
    await store.redis.set(store.keys.rule(1, "like"), "lots")
    view = await show_rules(store)
    assert view.table[(1, "like")] == 1
    assert view.ignored == {(1, "like"): "lots"}


@pytest.mark.parametrize(
    ("tier", "kind", "points"),
    [(0, "like", 1), (4, "like", 1), (1, "bookmark", 1), (1, "like", -1), (1, "like", 1001), (1, "like", "1.5")],
)
async def test_bad_values_are_refused_and_nothing_changes(
    store: Store, tier: object, kind: object, points: object
) -> None:
    before = await keyspace(store)
    with pytest.raises(InvalidInput):
        await set_rule(store, ADMIN, tier, kind, points)
    assert await keyspace(store) == before
