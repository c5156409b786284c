"""The role matrix: every route x (admin by permission, admin by role id, core by role id, member, an admin of
another served community, nobody logged in), allowed or refused; a refusal changes nothing in Redis."""

from __future__ import annotations

from typing import Any

import pytest

from engagement.admin import set_config
from tests.conftest import dump_keyspace
from tests.engagement.admin.world import ALICE, TWEET_ID
from tests.fakes.discord_oauth import FakeUser
from tests.web.conftest import HOME, NOT_SERVED, OTHER, Panel

ADMIN, CORE, MEMBER = "admin", "core", "member"
CORE_ROLE = 1200000000000000005
CORE_USER = "100000000000000015"
G = f"/c/{HOME}"
A = f"/api/v1/communities/{HOME}"
# (method, path, form, who may: "admin", "core" (admin or core) or "member")
ROUTES: list[tuple[str, str, dict[str, Any] | None, str]] = [
    ("GET", f"{G}/", None, MEMBER),
    ("GET", f"{G}/leaderboard", None, MEMBER),
    ("GET", f"{G}/leaderboard?board=weekly&page=2", None, MEMBER),
    ("GET", f"{G}/overview", None, ADMIN),
    ("GET", f"{G}/tweets", None, CORE),
    ("GET", f"{G}/rules", None, ADMIN),
    ("GET", f"{G}/batches", None, CORE),
    ("GET", f"{G}/leaderboard.csv", None, ADMIN),
    ("POST", f"{G}/rules", {"tier": "1", "type": "like", "points": "7"}, ADMIN),
    ("POST", f"{G}/rules/reset", {}, ADMIN),
    ("POST", f"{G}/tweets/delete", {"tweet": TWEET_ID, "revoke": "1", "reason": "spam"}, CORE),
    ("POST", f"{G}/batches/run", {}, CORE),
    ("GET", f"{G}/members", None, CORE),
    ("GET", f"{G}/members?page=3", None, CORE),
    ("POST", f"{G}/members/tier", {"member": ALICE, "tier": "3"}, CORE),
    ("POST", f"{G}/members/points", {"member": ALICE, "delta": "-2", "reason": "duplicate"}, ADMIN),
    ("GET", f"{G}/audit", None, ADMIN),
    ("GET", f"{G}/audit?actor=1&action=config&page=2", None, ADMIN),
    ("GET", f"{G}/settings", None, ADMIN),
    ("POST", f"{G}/settings", {"name": "daily_limit_tier1", "value": "7"}, ADMIN),
    ("POST", f"{G}/settings", {"name": "core_role_ids", "value": "1200000000000000009"}, ADMIN),
    ("POST", f"{G}/settings/reset", {"name": "core_role_ids"}, ADMIN),
    ("GET", f"{G}/tweets/{TWEET_ID}", None, CORE),
    ("GET", f"{G}/tweets?author=bob&q=185", None, CORE),
    ("POST", f"{G}/rules/preview", {"tier": "1", "type": "like", "points": "5"}, ADMIN),
    ("GET", f"{G}/batches/live", None, CORE),
    ("GET", f"{G}/overview/daily.png", None, ADMIN),
    ("GET", f"{A}/leaderboard", None, MEMBER),
    ("GET", f"{A}/overview", None, ADMIN),
    ("GET", f"{A}/tweets", None, CORE),
    ("GET", f"{A}/tweets/{TWEET_ID}", None, CORE),
    ("GET", f"{A}/rules/1/reply/preview?points=10", None, ADMIN),
    ("GET", f"{A}/rules", None, ADMIN),
    ("GET", f"{A}/batches", None, CORE),
    ("PUT", f"{A}/rules/1/like", {"points": 7}, ADMIN),
    ("POST", f"{A}/rules/reset", {}, ADMIN),
    ("DELETE", f"{A}/tweets/{TWEET_ID}?revoke=true&reason=spam", None, CORE),
    ("POST", f"{A}/batches", None, CORE),
    ("GET", f"{A}/members", None, CORE),
    ("PUT", f"{A}/members/{ALICE}/tier", {"tier": 3}, CORE),
    ("POST", f"{A}/members/{ALICE}/adjustments", {"delta": -2, "reason": "duplicate"}, ADMIN),
    ("GET", f"{A}/audit?actor=1&action=config", None, ADMIN),
    ("GET", f"{A}/settings", None, ADMIN),
    ("PUT", f"{A}/settings/daily_limit_tier1", {"value": "7"}, ADMIN),
    ("DELETE", f"{A}/settings/core_role_ids", None, ADMIN),
    ("GET", f"{G}/analytics", None, ADMIN),
    ("GET", f"{G}/analytics?days=90", None, ADMIN),
    ("GET", f"{G}/analytics/best-times.png?days=7", None, ADMIN),
    ("GET", f"{G}/analytics/mix.png?days=30", None, ADMIN),
    ("GET", f"{G}/analytics/reports", None, ADMIN),
    ("GET", f"{A}/analytics?days=7", None, ADMIN),
    ("GET", f"{A}/reports", None, ADMIN),
    ("GET", f"{G}/seasons", None, MEMBER),
    ("GET", f"{G}/teams", None, MEMBER),
    ("GET", f"{G}/campaigns", None, MEMBER),
    ("POST", f"{G}/seasons", {"name": "Sprint", "end": "2026-12-01", "reward_zone": "3"}, ADMIN),
    ("POST", f"{G}/teams", {"name": "Red"}, ADMIN),
    ("POST", f"{G}/campaigns", {"name": "Art", "end": "2026-12-01", "multiplier": "1.5", "match": "posts"}, ADMIN),
    ("GET", f"{A}/seasons", None, MEMBER),
    ("GET", f"{A}/teams", None, MEMBER),
    ("GET", f"{A}/campaigns", None, MEMBER),
    ("POST", f"{A}/seasons", {"name": "Sprint", "end": "2026-12-01", "reward_zone": 3}, ADMIN),
    ("POST", f"{A}/teams", {"name": "Red"}, ADMIN),
    ("POST", f"{A}/campaigns", {"name": "Art", "end": "2026-12-01", "multiplier": 1.5, "match": "posts"}, ADMIN),
    ("GET", f"{G}/shop", None, MEMBER),
    ("GET", f"{G}/shop/redemptions", None, ADMIN),
    ("GET", f"{G}/shop/payouts.csv", None, ADMIN),
    ("POST", f"{G}/shop/rewards", {"name": "Cap", "cost": "5", "stock": "3"}, ADMIN),
    ("GET", f"{G}/roles", None, ADMIN),
    ("POST", f"{G}/roles", {"role": "1200000000000000077", "threshold": "5", "scope": "alltime"}, ADMIN),
    ("POST", f"{G}/roles/tier", {"level": "2", "threshold": "500"}, ADMIN),
    ("GET", f"{A}/shop/rewards", None, MEMBER),
    ("GET", f"{A}/shop/redemptions", None, ADMIN),
    ("GET", f"{A}/roles", None, ADMIN),
    ("PUT", f"{A}/roles/1200000000000000077", {"threshold": 5, "scope": "season"}, ADMIN),
]
ROLES = {"admin": ADMIN, "role_admin": ADMIN, "core": CORE, "member": MEMBER, "other_admin": None, "nobody": None}


async def add_core(panel: Panel) -> FakeUser:
    """A member holding the community's core role (CORE_ROLE set as its run-time core_role_ids)."""
    await set_config(panel.store, panel.admin.id, "core_role_ids", str(CORE_ROLE))
    return panel.discord.add_user(CORE_USER, "Cora").join(HOME, roles=(CORE_ROLE,))


async def log_in(panel: Panel, who: str) -> str:
    """Log `who` (a Panel user's name, or "core") in; returns the session's CSRF token."""
    await panel.login(await add_core(panel) if who == "core" else getattr(panel, who))
    return await panel.csrf()


async def unchanged_keys(panel: Panel) -> dict[str, Any]:
    """Every key but the sessions' own (a page view may refresh its session)."""
    return {key: value for key, value in (await dump_keyspace(panel.store.redis)).items() if ":web:" not in key}


async def send(panel: Panel, method: str, path: str, form: dict[str, Any] | None, csrf: str) -> Any:
    if path.startswith("/api/"):  # JSON, and a cookie write's CSRF token in its header
        return await panel.client.request(method, path, json=form, headers={"X-CSRF-Token": csrf})
    if method == "GET":
        return await panel.client.get(path)
    return await panel.client.post(path, data={**(form or {}), "csrf": csrf})


def allowed(needed: str, role: str | None) -> bool:
    if role == ADMIN:
        return True
    return (role == CORE and needed in (CORE, MEMBER)) or (role == MEMBER and needed == MEMBER)


@pytest.mark.parametrize("who", list(ROLES))
@pytest.mark.parametrize(("method", "path", "form", "needed"), ROUTES, ids=[f"{m} {p}" for m, p, _, _ in ROUTES])
async def test_role_matrix(panel: Panel, who: str, method: str, path: str, form: Any, needed: str) -> None:
    csrf = "none"
    if who != "nobody":
        csrf = await log_in(panel, who)
    before = await unchanged_keys(panel)
    answer = await send(panel, method, path, form, csrf)
    if allowed(needed, ROLES[who]):
        assert answer.status_code in (200, 202, 303), answer.text
        assert answer.headers.get("location") != "/login"
        return
    if who == "nobody":
        expected = 401 if path.startswith("/api/") else 303
        assert answer.status_code == expected
        assert answer.headers.get("location", "/login") == "/login"
    else:
        assert answer.status_code == 403, answer.text
    if path.startswith("/api/"):
        assert answer.headers["content-type"] == "application/problem+json"
        assert answer.json()["status"] == answer.status_code
    assert await unchanged_keys(panel) == before


@pytest.mark.parametrize("guild", [OTHER, NOT_SERVED, 1])
async def test_an_admin_of_home_cannot_open_another_community(panel: Panel, guild: int) -> None:
    await panel.login(panel.admin)
    csrf = await panel.csrf()
    before = await unchanged_keys(panel)
    for answer in (
        await panel.client.get(f"/c/{guild}/rules"),
        await panel.client.post(f"/c/{guild}/rules", data={"tier": "1", "type": "like", "points": "9", "csrf": csrf}),
        await panel.client.get(f"/api/v1/communities/{guild}/leaderboard"),
    ):
        assert answer.status_code == 403
    assert await unchanged_keys(panel) == before


async def test_a_manage_server_permission_elsewhere_gives_nothing_here(panel: Panel) -> None:
    await panel.login(panel.member)  # holds Manage Server in a server that is not served
    me = (await panel.client.get("/api/v1/me")).json()
    assert me["communities"] == [{"guild_id": str(HOME), "role": "member"}]


async def test_the_core_role_is_read_from_the_run_time_setting(panel: Panel) -> None:
    await panel.login(await add_core(panel))
    me = (await panel.client.get("/api/v1/me")).json()
    assert me["communities"] == [{"guild_id": str(HOME), "role": "core"}]


async def test_core_loses_the_role_when_the_setting_no_longer_names_it(panel: Panel) -> None:
    user = await add_core(panel)
    await set_config(panel.store, panel.admin.id, "core_role_ids", "1200000000000000009")
    await panel.login(user)
    assert (await panel.client.get(f"{G}/members")).status_code == 403
