"""The Audit log page: newest first, filtered by actor and action, paginated; the core read function too."""

from __future__ import annotations

import pytest

from engagement.admin import AUDIT_PAGE_SIZE, audit_log, set_config
from engagement.errors import InvalidInput
from engagement.store import Store
from tests.web.conftest import HOME, Panel

G = f"/c/{HOME}"
ONE, TWO = "100000000000000031", "100000000000000032"


async def test_newest_first_and_filters(store: Store) -> None:
    await set_config(store, ONE, "daily_limit_tier1", "4")
    await set_config(store, TWO, "daily_limit_tier2", "5")
    await store.audit(ONE, "rule", "1:like", "1", "2")
    shown = await audit_log(store)
    assert [(e.actor, e.action, e.new) for e in shown.entries] == [
        (ONE, "rule", "2"),
        (TWO, "config", "5"),
        (ONE, "config", "4"),
    ]
    assert shown.actions == ["config", "rule"]
    assert [e.new for e in (await audit_log(store, actor=ONE)).entries] == ["2", "4"]
    assert [e.target for e in (await audit_log(store, actor=ONE, action="config")).entries] == ["daily_limit_tier1"]
    assert (await audit_log(store, action="nothing")).total == 0


async def test_pages_of_the_log(store: Store) -> None:
    for number in range(AUDIT_PAGE_SIZE + 3):
        await store.audit(ONE, "rule", f"t{number}", "", str(number))
    first, last = await audit_log(store, page=1), await audit_log(store, page=99)
    assert (first.pages, first.total, len(first.entries)) == (2, AUDIT_PAGE_SIZE + 3, AUDIT_PAGE_SIZE)
    assert first.entries[0].new == str(AUDIT_PAGE_SIZE + 2)
    assert (last.page, [e.new for e in last.entries]) == (2, ["2", "1", "0"])
    with pytest.raises(InvalidInput):
        await audit_log(store, page=0)


async def test_the_page_shows_and_filters_the_entries(panel: Panel) -> None:
    await set_config(panel.store, ONE, "daily_limit_tier1", "4")
    await panel.store.audit(TWO, "rule", "1:like", "1", "2")
    await panel.login(panel.admin)
    everything = (await panel.client.get(f"{G}/audit")).text
    assert ONE in everything
    assert TWO in everything
    assert "daily_limit_tier1" in everything
    filtered = (await panel.client.get(f"{G}/audit", params={"actor": TWO, "action": "rule"})).text
    assert "1 entries" in filtered
    assert "daily_limit_tier1" not in filtered
