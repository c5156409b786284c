"""Request limits of /api/v1, per token and per client IP: 429 with Retry-After past the limit, allowed again
when the window (by the store's clock) ends; and the cursors of the list endpoints."""

from __future__ import annotations

import pytest

from engagement.api_tokens import RateLimit
from tests.web.api.conftest import bearer, fresh_client, make_token
from tests.web.conftest import HOME, Panel
from web.api.auth import LIMITS_STATE, Limits
from web.api.cursors import encode

A = f"/api/v1/communities/{HOME}"


def set_limits(panel: Panel, per_ip: int, per_token: int) -> None:
    app = panel.client._transport.app  # type: ignore[attr-defined]
    setattr(app.state, LIMITS_STATE, Limits(RateLimit(per_ip, 60), RateLimit(per_token, 60)))


@pytest.fixture
async def admin_panel(panel: Panel) -> Panel:
    await panel.login(panel.admin)
    panel.clock.now = 60 * (int(panel.clock.now) // 60 + 1)  # the start of a window: the waits below are exact
    return panel


async def test_429_then_allowed_after_the_window(admin_panel: Panel) -> None:
    panel = admin_panel
    set_limits(panel, per_ip=100, per_token=3)
    secret = await make_token(panel)
    async with fresh_client(panel) as client:
        for _ in range(3):
            assert (await client.get(f"{A}/leaderboard", headers=bearer(secret))).status_code == 200
        panel.clock.now += 15
        refused = await client.get(f"{A}/leaderboard", headers=bearer(secret))
        assert refused.status_code == 429
        assert refused.headers["retry-after"] == "45"
        assert refused.headers["content-type"] == "application/problem+json"
        assert refused.json()["status"] == 429
        panel.clock.now += 44
        assert (await client.get(f"{A}/leaderboard", headers=bearer(secret))).status_code == 429
        panel.clock.now += 1
        assert (await client.get(f"{A}/leaderboard", headers=bearer(secret))).status_code == 200


async def test_each_token_has_its_own_limit(admin_panel: Panel) -> None:
    panel = admin_panel
    set_limits(panel, per_ip=100, per_token=1)
    first, second = await make_token(panel, name="one"), await make_token(panel, name="two")
    async with fresh_client(panel) as client:
        assert (await client.get("/api/v1/me", headers=bearer(first))).status_code == 200
        assert (await client.get("/api/v1/me", headers=bearer(first))).status_code == 429
        assert (await client.get("/api/v1/me", headers=bearer(second))).status_code == 200


async def test_the_ip_limit_counts_bad_tokens_and_sessions_too(admin_panel: Panel) -> None:
    panel = admin_panel
    set_limits(panel, per_ip=2, per_token=100)
    async with fresh_client(panel) as client:
        assert (await client.get("/api/v1/me", headers=bearer("eng_guess"))).status_code == 401
    assert (await panel.client.get("/api/v1/me")).status_code == 200  # the session, same IP
    refused = await panel.client.get("/api/v1/me")
    assert refused.status_code == 429
    assert int(refused.headers["retry-after"]) == 60
    assert (await panel.client.get(f"/c/{HOME}/leaderboard")).status_code == 200  # pages are not limited


async def test_cursors_walk_a_list_to_its_end(admin_panel: Panel) -> None:
    panel = admin_panel
    first = (await panel.client.get(f"{A}/leaderboard")).json()
    assert first["pages"] == 1
    assert first["next_cursor"] is None
    assert (await panel.client.get(f"{A}/tweets")).json()["next_cursor"] is None
    # A cursor names a page: page 2 of a one-page board is clamped to its last page, like the page buttons.
    again = (await panel.client.get(f"{A}/leaderboard", params={"cursor": encode("board-alltime", 2)})).json()
    assert again["page"] == 1
    assert again["entries"] == first["entries"]


async def test_a_next_cursor_is_given_while_pages_remain(admin_panel: Panel) -> None:
    panel = admin_panel
    shared_store = panel.store
    for n in range(30):  # more than one page of batches
        await shared_store.redis.zadd(shared_store.keys.batches(), {str(n + 1): n})
    body = (await panel.client.get(f"{A}/batches")).json()
    assert body["pages"] > 1
    assert body["next_cursor"]
    following = (await panel.client.get(f"{A}/batches", params={"cursor": body["next_cursor"]})).json()
    assert following["page"] == 2


@pytest.mark.parametrize(
    ("path", "params"),
    [
        ("tweets", {"cursor": "not-a-cursor"}),
        ("tweets", {"cursor": encode("batches", 2)}),  # another list's cursor
        ("batches", {"cursor": encode("batches", 0)}),
        ("leaderboard", {"board": "weekly", "cursor": encode("board-alltime", 2)}),
        ("leaderboard", {"cursor": "%%%"}),
    ],
)
async def test_a_bad_cursor_is_a_400_problem(admin_panel: Panel, path: str, params: dict[str, str]) -> None:
    answer = await admin_panel.client.get(f"{A}/{path}", params=params)
    assert answer.status_code == 400
    assert answer.headers["content-type"] == "application/problem+json"
    assert answer.json()["title"] == "Bad cursor"
