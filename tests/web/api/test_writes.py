"""The API's writes: the same core calls as the pages (effects checked through a read, the same audit actions),
every bad input a problem with a clear detail and nothing changed, roles by token or session, and the CSRF header
of a cookie write."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from engagement.admin import MAX_ADJUSTMENT
from tests.engagement.admin.world import ALICE, BOB, TWEET_ID
from tests.web.api.conftest import bearer, fresh_client, make_token
from tests.web.conftest import HOME, Panel
from tests.web.test_roles import unchanged_keys

A = f"/api/v1/communities/{HOME}"
NOBODY = "100000000000000099"  # a Discord id with no record here


@dataclass
class Api:
    """The admin's panel and a cookie-less client holding one token per role."""

    panel: Panel
    client: httpx.AsyncClient
    tokens: dict[str, str]

    async def call(self, role: str, method: str, path: str, body: Any = None) -> httpx.Response:
        return await self.client.request(method, A + path, json=body, headers=bearer(self.tokens[role]))

    async def last_audit(self) -> dict[str, str]:
        return (await self.panel.store.audit_entries())[0]


@pytest.fixture
async def api(admin_panel: Panel) -> AsyncIterator[Api]:
    tokens = {role: await make_token(admin_panel, role, f"{role} script") for role in ("admin", "core", "member")}
    async with fresh_client(admin_panel) as client:
        for secret in tokens.values():  # a first use notes the token's last use: before any keyspace compare
            assert (await client.get("/api/v1/me", headers=bearer(secret))).status_code == 200
        yield Api(admin_panel, client, tokens)


def problem_of(answer: httpx.Response, status: int) -> dict[str, Any]:
    assert answer.status_code == status, answer.text
    assert answer.headers["content-type"] == "application/problem+json"
    body: dict[str, Any] = answer.json()
    assert body["status"] == status
    return body


async def test_an_admin_sets_a_rule_and_resets_the_table(api: Api) -> None:
    answer = await api.call("admin", "PUT", "/rules/1/like", {"points": 7})
    assert answer.status_code == 200, answer.text
    assert answer.json() == {"tier": 1, "type": "like", "old": 1, "new": 7}
    rules = (await api.call("admin", "GET", "/rules")).json()
    assert {"tier": 1, "type": "like", "points": 7, "overridden": True} in rules
    audit = await api.last_audit()
    assert (audit["action"], audit["target"], audit["new"]) == ("rule", "1-like", "7")
    assert audit["actor"] == api.panel.admin.id  # a token acts as the admin who made it

    reset = await api.call("admin", "POST", "/rules/reset")
    assert reset.json() == {"removed": 1}
    assert {"tier": 1, "type": "like", "points": 1, "overridden": False} in (
        await api.call("admin", "GET", "/rules")
    ).json()
    assert (await api.last_audit())["action"] == "rules-reset"


async def test_core_deletes_a_tweet_with_revoke(api: Api) -> None:
    answer = await api.call("core", "DELETE", f"/tweets/{TWEET_ID}?revoke=true&reason=spam")
    assert answer.status_code == 200, answer.text
    assert answer.json() == {
        "submission_id": "1",
        "tweet_id": TWEET_ID,
        "revoked": True,
        "revoked_awards": 1,
        "revoked_points": 3,
    }
    assert (await api.call("core", "GET", "/tweets")).json()["total"] == 0
    board = (await api.call("member", "GET", "/leaderboard")).json()["entries"]
    assert all(entry["points"] == 0 for entry in board if entry["discord_id"] == ALICE)
    audit = await api.last_audit()
    assert (audit["action"], audit["new"], audit["reason"]) == (
        "tweet-delete",
        "deleted, revoked 1 awards (3 points)",
        "spam",
    )


async def test_a_delete_without_revoke_keeps_the_points(api: Api) -> None:
    answer = await api.call("core", "DELETE", f"/tweets/{TWEET_ID}")
    assert answer.json()["revoked"] is False
    board = (await api.call("member", "GET", "/leaderboard")).json()["entries"]
    assert board == [{"rank": 1, "discord_id": ALICE, "handle": "alice", "points": 3}]


async def test_core_requests_a_batch_and_a_second_request_is_refused(api: Api) -> None:
    answer = await api.call("core", "POST", "/batches")
    assert answer.status_code == 202, answer.text
    assert "requested" in answer.json()["detail"]
    assert (await api.last_audit())["action"] == "batch-run"
    before = await unchanged_keys(api.panel)
    again = problem_of(await api.call("core", "POST", "/batches"), 409)
    assert "already requested" in again["detail"]
    assert await unchanged_keys(api.panel) == before


async def test_core_lists_members_and_sets_a_tier(api: Api) -> None:
    listed = (await api.call("core", "GET", "/members")).json()
    assert listed["total"] == 2
    assert {"discord_id": ALICE, "handle": "alice", "tier": 1, "points": 3, "linked": True} in listed["members"]
    answer = await api.call("core", "PUT", f"/members/{ALICE}/tier", {"tier": 3})
    assert answer.json() == {"discord_id": ALICE, "old": 1, "new": 3}
    rows = (await api.call("core", "GET", "/members")).json()["members"]
    assert [row["tier"] for row in rows if row["discord_id"] == ALICE] == [3]
    assert (await api.last_audit())["action"] == "tier"


async def test_an_admin_adjusts_points_with_a_reason(api: Api) -> None:
    answer = await api.call("admin", "POST", f"/members/{ALICE}/adjustments", {"delta": 5, "reason": "event bonus"})
    assert answer.json() == {"discord_id": ALICE, "delta": 5, "total": 8, "reason": "event bonus"}
    board = (await api.call("member", "GET", "/leaderboard")).json()["entries"]
    assert board[0] == {"rank": 1, "discord_id": ALICE, "handle": "alice", "points": 8}
    audit = await api.last_audit()
    assert (audit["action"], audit["target"]) == ("points-adjust", ALICE)


async def test_an_admin_sets_and_resets_a_setting(api: Api) -> None:
    answer = await api.call("admin", "PUT", "/settings/daily_limit_tier1", {"value": " 7 "})
    assert answer.json() == {"name": "daily_limit_tier1", "old": "", "new": "7"}
    shown = (await api.call("admin", "GET", "/settings")).json()
    assert {"name": "daily_limit_tier1", "value": "7", "overridden": True} in shown
    assert (await api.last_audit())["action"] == "config"
    reset = await api.call("admin", "DELETE", "/settings/daily_limit_tier1")
    assert reset.json() == {"name": "daily_limit_tier1", "old": "7", "new": ""}
    shown = (await api.call("admin", "GET", "/settings")).json()
    assert [e["overridden"] for e in shown if e["name"] == "daily_limit_tier1"] == [False]
    audit = await api.last_audit()
    assert (audit["action"], audit["target"], audit["old"]) == ("config", "daily_limit_tier1", "7")


async def test_the_audit_log_filters_and_pages_by_cursor(api: Api) -> None:
    for value in range(51):  # the Audit log page shows 50 entries
        await api.call("admin", "PUT", "/settings/daily_limit_tier2", {"value": str(value)})
    await api.call("admin", "PUT", "/rules/2/reply", {"points": 4})
    first = (await api.call("admin", "GET", "/audit?action=config")).json()
    assert (first["total"], first["pages"], len(first["entries"])) == (51, 2, 50)
    assert {"config", "rule", "api-token-create"} <= set(first["actions"])
    assert first["entries"][0]["new"] == "50"
    second = (await api.call("admin", "GET", f"/audit?action=config&cursor={first['next_cursor']}")).json()
    assert [entry["new"] for entry in second["entries"]] == ["0"]
    assert second["next_cursor"] is None
    mine = (await api.call("admin", "GET", f"/audit?actor={api.panel.admin.id}&action=rule")).json()
    assert [entry["target"] for entry in mine["entries"]] == ["2-reply"]
    assert (await api.call("admin", "GET", f"/audit?actor={BOB}")).json()["total"] == 0


async def test_members_page_by_cursor(api: Api) -> None:
    for n in range(50):
        await api.panel.store.link_account(f"2000000000000000{n:02d}", f"9{n:03d}", f"m{n}", "bio", "2026-11-18")
    first = (await api.call("core", "GET", "/members")).json()
    assert (first["total"], first["pages"], len(first["members"])) == (52, 2, 50)
    second = (await api.call("core", "GET", f"/members?cursor={first['next_cursor']}")).json()
    assert len(second["members"]) == 2
    assert second["next_cursor"] is None
    assert problem_of(await api.call("core", "GET", "/members?cursor=bm90LWl0"), 400)["title"] == "Bad cursor"


BAD_INPUTS = [
    ("PUT", "/rules/4/like", {"points": 1}, 400, "tier must be 1, 2 or 3"),
    ("PUT", "/rules/x/like", {"points": 1}, 422, "path.tier"),
    ("PUT", "/rules/1/poke", {"points": 1}, 400, "engagement type must be one of"),
    ("PUT", "/rules/1/like", {"points": 1_000_000}, 400, "points must be a whole number from 0 to"),
    ("PUT", "/rules/1/like", {"points": -1}, 400, "points must be a whole number from 0 to"),
    ("PUT", "/rules/1/like", {"points": "seven"}, 422, "body.points"),
    ("PUT", "/rules/1/like", {"points": 1.5}, 422, "body.points"),
    ("PUT", "/rules/1/like", {}, 422, "body.points"),
    ("DELETE", "/tweets/1850000000000000999?revoke=true", None, 409, "No submitted tweet has the id"),
    ("DELETE", "/tweets/not-a-tweet", None, 400, ""),
    ("DELETE", f"/tweets/{TWEET_ID}?revoke=maybe", None, 422, "query.revoke"),
    ("DELETE", f"/tweets/{TWEET_ID}?reason=" + "x" * 201, None, 400, "reason must be at most 200 characters"),
    ("PUT", f"/members/{NOBODY}/tier", {"tier": 2}, 400, "has not connected an X account"),
    ("PUT", "/members/alice/tier", {"tier": 2}, 400, "Discord id"),
    ("PUT", f"/members/{ALICE}/tier", {"tier": 4}, 400, "tier must be 1, 2 or 3"),
    ("POST", f"/members/{NOBODY}/adjustments", {"delta": 5, "reason": "x"}, 409, "has no record yet"),
    ("POST", f"/members/{ALICE}/adjustments", {"delta": 5, "reason": "  "}, 400, "A reason is required"),
    ("POST", f"/members/{ALICE}/adjustments", {"delta": 5}, 422, "body.reason"),
    ("POST", f"/members/{ALICE}/adjustments", {"delta": MAX_ADJUSTMENT + 1, "reason": "x"}, 400, "delta must be"),
    ("POST", f"/members/{ALICE}/adjustments", {"delta": 0, "reason": "x"}, 400, "delta must be"),
    ("PUT", "/settings/no_such_thing", {"value": "1"}, 400, "config name must be one of"),
    ("DELETE", "/settings/no_such_thing", None, 400, "config name must be one of"),
    ("PUT", "/settings/daily_limit_tier1", {"value": "lots"}, 400, "a daily limit must be a whole number"),
    ("PUT", "/settings/daily_limit_tier1", {"value": 7}, 422, "body.value"),
    ("GET", "/audit?cursor=nope", None, 400, "This cursor is not one this list gave out"),
]


@pytest.mark.parametrize(
    ("method", "path", "body", "status", "detail"), BAD_INPUTS, ids=[f"{m} {p} {b}" for m, p, b, _, _ in BAD_INPUTS]
)
async def test_a_bad_input_is_a_clear_problem_and_changes_nothing(
    api: Api, method: str, path: str, body: Any, status: int, detail: str
) -> None:
    before = await unchanged_keys(api.panel)
    found = problem_of(await api.call("admin", method, path, body), status)
    assert detail in found["detail"]
    assert await unchanged_keys(api.panel) == before


ADMIN_ONLY = [
    ("PUT", "/rules/1/like", {"points": 7}),
    ("POST", "/rules/reset", None),
    ("POST", f"/members/{ALICE}/adjustments", {"delta": 5, "reason": "bonus"}),
    ("PUT", "/settings/daily_limit_tier1", {"value": "7"}),
    ("DELETE", "/settings/daily_limit_tier1", None),
    ("GET", "/settings", None),
    ("GET", "/audit", None),
]
STAFF = [
    ("DELETE", f"/tweets/{TWEET_ID}?revoke=true", None),
    ("POST", "/batches", None),
    ("PUT", f"/members/{ALICE}/tier", {"tier": 3}),
    ("GET", "/members", None),
    ("GET", "/tweets", None),
    ("GET", "/batches", None),
]
REFUSED = [("core", *route) for route in ADMIN_ONLY] + [("member", *route) for route in ADMIN_ONLY + STAFF]


@pytest.mark.parametrize(("role", "method", "path", "body"), REFUSED, ids=[f"{r} {m} {p}" for r, m, p, _ in REFUSED])
async def test_a_token_without_the_role_is_refused_and_changes_nothing(
    api: Api, role: str, method: str, path: str, body: Any
) -> None:
    await api.panel.store.set_rule(api.panel.admin.id, 1, "like", 5, 1)  # something for a reset to remove
    before = await unchanged_keys(api.panel)
    found = problem_of(await api.call(role, method, path, body), 403)
    assert found["detail"] == "Your role in this community does not allow this."
    assert await unchanged_keys(api.panel) == before


@pytest.mark.parametrize(("method", "path", "body"), STAFF, ids=[f"{m} {p}" for m, p, _ in STAFF])
async def test_a_core_token_may_do_what_core_does_on_the_pages(api: Api, method: str, path: str, body: Any) -> None:
    answer = await api.call("core", method, path, body)
    assert answer.status_code in (200, 202), answer.text


async def test_a_token_can_be_made_with_the_core_role(api: Api) -> None:
    assert "<option>core</option>" in (await api.panel.client.get(f"/c/{HOME}/tokens")).text
    me = (await api.client.get("/api/v1/me", headers=bearer(api.tokens["core"]))).json()
    assert me["communities"] == [{"guild_id": str(HOME), "role": "core"}]


@pytest.mark.parametrize("header", [None, "", "not-the-token"])
async def test_a_cookie_write_without_the_csrf_header_is_refused(admin_panel: Panel, header: str | None) -> None:
    panel = admin_panel
    before = await unchanged_keys(panel)
    headers = {} if header is None else {"X-CSRF-Token": header}
    for method, path, body in ADMIN_ONLY[:5] + STAFF[:3]:
        answer = await panel.client.request(method, A + path, json=body, headers=headers)
        found = problem_of(answer, 403)
        assert "X-CSRF-Token" in found["detail"], path
    assert await unchanged_keys(panel) == before


async def test_a_cookie_write_with_the_csrf_header_works_and_a_read_needs_none(admin_panel: Panel) -> None:
    panel = admin_panel
    assert (await panel.client.get(f"{A}/rules")).status_code == 200
    headers = {"X-CSRF-Token": await panel.csrf()}
    answer = await panel.client.put(f"{A}/rules/3/quote", json={"points": 11}, headers=headers)
    assert answer.json() == {"tier": 3, "type": "quote", "old": 6, "new": 11}
    audit = (await panel.store.audit_entries())[0]
    assert (audit["action"], audit["actor"]) == ("rule", panel.admin.id)


async def test_a_core_session_may_delete_a_tweet_but_not_adjust_points(panel: Panel) -> None:
    from tests.web.test_roles import log_in

    csrf = await log_in(panel, "core")
    headers = {"X-CSRF-Token": csrf}
    before = await unchanged_keys(panel)
    refused = await panel.client.post(
        f"{A}/members/{ALICE}/adjustments", json={"delta": 1, "reason": "x"}, headers=headers
    )
    problem_of(refused, 403)
    assert await unchanged_keys(panel) == before
    deleted = await panel.client.delete(f"{A}/tweets/{TWEET_ID}", headers=headers)
    assert deleted.status_code == 200, deleted.text


async def test_a_token_revoked_mid_use_is_refused_at_once(api: Api) -> None:
    assert (await api.call("admin", "PUT", "/rules/1/like", {"points": 7})).status_code == 200
    shared = api.panel.services.communities.shared
    made = {row["name"]: row["id"] for row in await shared.api_tokens(HOME)}
    revoke = await api.panel.client.post(
        f"/c/{HOME}/tokens/{made['admin script']}/revoke", data={"csrf": await api.panel.csrf()}
    )
    assert revoke.status_code == 303
    before = await unchanged_keys(api.panel)
    found = problem_of(await api.call("admin", "PUT", "/rules/1/like", {"points": 9}), 401)
    assert found["title"] == "Bad token"
    assert await unchanged_keys(api.panel) == before
    assert (await api.call("core", "POST", "/batches")).status_code == 202  # the other tokens still work
