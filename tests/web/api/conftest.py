"""API tokens made the way an admin makes them: on the tokens page, by a POST with the CSRF token."""

from __future__ import annotations

import re

import httpx

from tests.web.conftest import HOME, Panel

SECRET = re.compile(r'value="(eng_[A-Za-z0-9_-]+)"')


async def make_token(panel: Panel, role: str = "admin", name: str = "ci script", guild: int = HOME) -> str:
    """The new token's secret, as the page shows it once (the admin must be logged in)."""
    answer = await panel.client.post(
        f"/c/{guild}/tokens", data={"name": name, "role": role, "csrf": await panel.csrf()}
    )
    assert answer.status_code == 201, answer.text
    found = SECRET.search(answer.text)
    assert found, "the page did not show the new token"
    return found.group(1)


def bearer(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}


def fresh_client(panel: Panel) -> httpx.AsyncClient:
    """A client with no session cookie: only the token authenticates it."""
    transport = panel.client._transport
    return httpx.AsyncClient(transport=transport, base_url=str(panel.client.base_url))
