"""REST API v1: JSON for the session's communities, RFC 9457 problem details for every error, the OpenAPI."""

from __future__ import annotations

import pytest

from tests.engagement.admin.world import ALICE, TWEET_ID
from tests.web.conftest import HOME, Panel

A = f"/api/v1/communities/{HOME}"


async def test_the_read_endpoints(admin_panel: Panel) -> None:
    client = admin_panel.client
    assert (await client.get("/api/v1/me")).json()["communities"] == [{"guild_id": str(HOME), "role": "admin"}]
    board = (await client.get(f"{A}/leaderboard")).json()
    assert board["entries"] == [{"rank": 1, "discord_id": ALICE, "handle": "alice", "points": 3}]
    tweets = (await client.get(f"{A}/tweets")).json()
    assert [row["tweet_id"] for row in tweets["tweets"]] == [TWEET_ID]
    assert tweets["total"] == 1
    rules = (await client.get(f"{A}/rules")).json()
    assert {"tier": 3, "type": "reply", "points": 9, "overridden": False} in rules
    assert len(rules) == 12
    assert (await client.get(f"{A}/batches")).json() == {
        "page": 1,
        "pages": 1,
        "total": 0,
        "batches": [],
        "next_cursor": None,
    }
    overview = (await client.get(f"{A}/overview")).json()
    assert overview["connected_members"] == 2
    assert overview["top_member"] == ALICE


@pytest.mark.parametrize(
    ("path", "status", "detail"),
    [
        (f"{A}/leaderboard?board=monthly", 400, "Board must be one of"),
        (f"{A}/tweets?page=0", 422, "page"),
        (f"{A}/tweets?category=no%20spaces", 400, "category must be"),
        (f"{A}/batches/99", 409, "no record of batch 99"),
        ("/api/v1/nothing-here", 404, ""),
    ],
)
async def test_errors_are_problem_details(admin_panel: Panel, path: str, status: int, detail: str) -> None:
    answer = await admin_panel.client.get(path)
    assert answer.status_code == status
    assert answer.headers["content-type"] == "application/problem+json"
    body = answer.json()
    assert body["status"] == status
    assert body["type"] == "about:blank"
    assert body["title"]
    assert detail in body.get("detail", "")


async def test_openapi_and_docs(panel: Panel) -> None:
    spec = (await panel.client.get("/api/openapi.json")).json()
    assert "/api/v1/communities/{guild_id}/leaderboard" in spec["paths"]
    assert not any(path.startswith("/c/") for path in spec["paths"])  # the pages are not API
    docs = await panel.client.get("/api/docs")
    assert docs.status_code == 200
    assert "/api/v1/communities/{guild_id}/rules" in docs.text
