"""Every page names its icon, so a browser never asks for a /favicon.ico the panel does not have (a 404 that
would show as a console error at a time no test controls)."""

from __future__ import annotations

from tests.web.conftest import Panel


async def test_pages_link_an_icon_the_panel_serves(panel: Panel) -> None:
    refused = await panel.client.get("/oauth/threads/start", params={"state": "a" * 40})  # a page with no login
    assert refused.status_code == 409
    assert '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">' in refused.text
    icon = await panel.client.get("/static/favicon.svg")
    assert icon.status_code == 200
    assert icon.headers["content-type"].startswith("image/svg+xml")
