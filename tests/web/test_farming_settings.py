"""The anti-farming rules on the panel's Settings page: listed, set through the same core call as /admin config, a
bad value refused with its range and nothing changed (the API: tests/web/api/test_farming_settings.py)."""

from __future__ import annotations

from rules.farming import DEFAULTS
from tests.web.conftest import HOME, Panel
from tests.web.test_roles import unchanged_keys

G = f"/c/{HOME}"


async def test_the_settings_page_lists_and_sets_each_rule(panel: Panel) -> None:
    await panel.login(panel.admin)
    csrf = await panel.csrf()
    page = (await panel.client.get(f"{G}/settings")).text
    assert all(name in page for name in DEFAULTS)
    form = {"name": "min_reply_chars", "value": "15", "csrf": csrf}
    assert (await panel.client.post(f"{G}/settings", data=form)).status_code == 303
    assert await panel.store.config_values() == {"min_reply_chars": "15"}
    before = await unchanged_keys(panel)
    bad = {"name": "daily_award_cap", "value": "10001", "csrf": csrf}
    answer = await panel.client.post(f"{G}/settings", data=bad)
    assert answer.status_code == 400
    assert "daily_award_cap must be a whole number from 0 to 10,000" in answer.text
    assert await unchanged_keys(panel) == before
