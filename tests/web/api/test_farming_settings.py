"""The anti-farming rules in the API: listed off by default, set through the same core call as /admin config, a
bad value refused with its range and nothing changed."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from rules.farming import DEFAULTS
from tests.web.api.conftest import bearer, fresh_client, make_token
from tests.web.api.test_writes import Api, problem_of
from tests.web.conftest import Panel
from tests.web.test_roles import unchanged_keys


@pytest.fixture
async def api(admin_panel: Panel) -> AsyncIterator[Api]:
    """An admin's token on a cookie-less client, used once before any keyspace compare (a use is noted)."""
    secret = await make_token(admin_panel, "admin", "admin script")
    async with fresh_client(admin_panel) as client:
        assert (await client.get("/api/v1/me", headers=bearer(secret))).status_code == 200
        yield Api(admin_panel, client, {"admin": secret})


async def test_the_api_lists_and_sets_each_rule(api: Api) -> None:
    shown = {entry["name"]: entry for entry in (await api.call("admin", "GET", "/settings")).json()}
    assert {name: (shown[name]["value"], shown[name]["overridden"]) for name in DEFAULTS} == {
        name: (value, False) for name, value in DEFAULTS.items()
    }
    answer = await api.call("admin", "PUT", "/settings/reject_repeated_replies", {"value": "on"})
    assert answer.json() == {"name": "reject_repeated_replies", "old": "", "new": "true"}
    before = await unchanged_keys(api.panel)
    refused = await api.call("admin", "PUT", "/settings/engagement_cooldown_seconds", {"value": "an hour"})
    assert "engagement_cooldown_seconds must be a whole number from 0 to 3,600" in problem_of(refused, 400)["detail"]
    assert await unchanged_keys(api.panel) == before
