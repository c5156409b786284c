"""The role matrix: every route x (admin by permission, admin by role id, member, an admin of another served
community, nobody logged in), allowed or refused; a refusal changes nothing in Redis."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import dump_keyspace
from tests.engagement.admin.world import TWEET_ID
from tests.web.conftest import HOME, NOT_SERVED, OTHER, Panel

ADMIN, MEMBER = "admin", "member"
G = f"/c/{HOME}"
A = f"/api/v1/communities/{HOME}"
# (method, path, form, who may: "admin" or "member")
ROUTES: list[tuple[str, str, dict[str, str] | None, str]] = [
    ("GET", f"{G}/", None, MEMBER),
    ("GET", f"{G}/leaderboard", None, MEMBER),
    ("GET", f"{G}/leaderboard?board=weekly&page=2", None, MEMBER),
    ("GET", f"{G}/overview", None, ADMIN),
    ("GET", f"{G}/tweets", None, ADMIN),
    ("GET", f"{G}/rules", None, ADMIN),
    ("GET", f"{G}/batches", None, ADMIN),
    ("GET", f"{G}/leaderboard.csv", None, ADMIN),
    ("POST", f"{G}/rules", {"tier": "1", "type": "like", "points": "7"}, ADMIN),
    ("POST", f"{G}/rules/reset", {}, ADMIN),
    ("POST", f"{G}/tweets/delete", {"tweet": TWEET_ID, "revoke": "1", "reason": "spam"}, ADMIN),
    ("POST", f"{G}/batches/run", {}, ADMIN),
    ("GET", f"{A}/leaderboard", None, MEMBER),
    ("GET", f"{A}/overview", None, ADMIN),
    ("GET", f"{A}/tweets", None, ADMIN),
    ("GET", f"{A}/rules", None, ADMIN),
    ("GET", f"{A}/batches", None, ADMIN),
]
ROLES = {"admin": ADMIN, "role_admin": ADMIN, "member": MEMBER, "other_admin": None, "nobody": None}


async def unchanged_keys(panel: Panel) -> dict[str, Any]:
    """Every key but the sessions' own (a page view may refresh its session)."""
    return {key: value for key, value in (await dump_keyspace(panel.store.redis)).items() if ":web:" not in key}


async def send(panel: Panel, method: str, path: str, form: dict[str, str] | None, csrf: str) -> Any:
    if method == "GET":
        return await panel.client.get(path)
    return await panel.client.post(path, data={**(form or {}), "csrf": csrf})


def allowed(needed: str, role: str | None) -> bool:
    return role == ADMIN or (role == MEMBER and needed == MEMBER)


@pytest.mark.parametrize("who", list(ROLES))
@pytest.mark.parametrize(("method", "path", "form", "needed"), ROUTES, ids=[f"{m} {p}" for m, p, _, _ in ROUTES])
async def test_role_matrix(panel: Panel, who: str, method: str, path: str, form: Any, needed: str) -> None:
    csrf = "none"
    if who != "nobody":
        await panel.login(getattr(panel, who))
        csrf = await panel.csrf()
    before = await unchanged_keys(panel)
    answer = await send(panel, method, path, form, csrf)
    if allowed(needed, ROLES[who]):
        assert answer.status_code in (200, 303), answer.text
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
