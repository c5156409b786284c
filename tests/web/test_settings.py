"""The Settings page: the run-time config shown, set and reset through the same core functions as /admin
config (same validation, same audit entries); every POST needs the CSRF token."""

from __future__ import annotations

from tests.web.conftest import HOME, Panel
from tests.web.test_roles import unchanged_keys

G = f"/c/{HOME}"


async def test_show_set_and_reset_each_audited(panel: Panel) -> None:
    await panel.login(panel.admin)
    csrf = await panel.csrf()
    assert "core_role_ids" in (await panel.client.get(f"{G}/settings")).text
    form = {"name": "daily_limit_tier1", "value": "7", "csrf": csrf}
    assert (await panel.client.post(f"{G}/settings", data=form)).status_code == 303
    assert await panel.store.config_values() == {"daily_limit_tier1": "7"}
    entry = (await panel.store.audit_entries(1))[0]
    assert (entry["actor"], entry["action"], entry["target"], entry["new"]) == (
        panel.admin.id,
        "config",
        "daily_limit_tier1",
        "7",
    )
    assert "daily_limit_tier1 set to 7" in (await panel.client.get(f"{G}/settings")).text
    reset = {"name": "daily_limit_tier1", "csrf": csrf}
    assert (await panel.client.post(f"{G}/settings/reset", data=reset)).status_code == 303
    assert await panel.store.config_values() == {}
    entry = (await panel.store.audit_entries(1))[0]
    assert (entry["action"], entry["old"], entry["new"]) == ("config", "7", "")


async def test_an_invalid_value_is_refused_and_changes_nothing(panel: Panel) -> None:
    await panel.login(panel.admin)
    csrf = await panel.csrf()
    before = await unchanged_keys(panel)
    for form in ({"name": "core_role_ids", "value": "Core team"}, {"name": "nope", "value": "1"}):
        answer = await panel.client.post(f"{G}/settings", data={**form, "csrf": csrf})
        assert answer.status_code == 400, answer.text
    assert await unchanged_keys(panel) == before


async def test_each_post_without_the_csrf_token_changes_nothing(panel: Panel) -> None:
    await panel.login(panel.admin)
    before = await unchanged_keys(panel)
    for path, form in (
        ("settings", {"name": "daily_limit_tier1", "value": "7"}),
        ("settings/reset", {"name": "categories"}),
    ):
        for token in ({}, {"csrf": "forged"}):
            answer = await panel.client.post(f"{G}/{path}", data={**form, **token})
            assert answer.status_code == 403
            assert "Form refused" in answer.text
    assert await unchanged_keys(panel) == before
