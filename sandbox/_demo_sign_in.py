"""The offline demo's Sign in with X: members sign in through the demo's panel and the fake X's OAuth pages.

Each one goes the way a member's browser does: the one-time link /connect would show, /oauth/x/start on the
panel (303 to X's authorize page), the fake's approve form ("Authorize app" as that member), and back to
/oauth/x/callback, which links the account (verified_by=oauth) and stores its tokens encrypted. The batch then
reads who liked those members' posts with their own tokens, as X allows only the post's author to.
"""

from __future__ import annotations

from collections.abc import Sequence
from urllib.parse import parse_qsl, urlsplit

import httpx
from pydantic import SecretStr

from engagement.services import Services
from engagement.settings import Settings
from engagement.x_oauth import new_key
from engagement.x_oauth.sign_in import sign_in_link
from sandbox._demo_panel import DEMO_GUILD
from sandbox.fake_x import FakeX
from sandbox.scenario import Member

DEMO_X_CLIENT = "engagement-demo"


def with_sign_in(settings: Settings, fake: FakeX, port: int) -> Settings:
    """The demo's settings with Sign in with X set up against `fake` (registered there as a public client), for
    the panel listening on `port` (bound before: the callback URL must be known before the panel starts)."""
    host = "127.0.0.1" if settings.web_host in ("0.0.0.0", "::") else settings.web_host
    public = f"http://{host}:{port}"
    fake.register_oauth_client(DEMO_X_CLIENT, f"{public}/oauth/x/callback")
    update = {
        "web_port": port,
        "public_base_url": public,
        "x_oauth_client_id": DEMO_X_CLIENT,
        "x_authorize_url": f"{fake.base_url}/i/oauth2/authorize",
        "token_encryption_keys": SecretStr(new_key()),  # a throw-away key: the demo's data goes with it
    }
    configured = settings.model_copy(update=update)
    assert configured.x_sign_in
    return configured


async def sign_in_members(services: Services, fake: FakeX, members: Sequence[Member]) -> None:
    """Each member signs in with X as a browser would; RuntimeError when any step does not answer as it should."""
    for member in members:
        link = await sign_in_link(services, member.discord_id, DEMO_GUILD)
        async with httpx.AsyncClient(timeout=10) as browser:  # one browser per member: it keeps the panel's cookie
            start = await browser.get(link)
            expect(start, 303, "/oauth/x/start")
            authorize = start.headers["location"]
            expect(await browser.get(authorize), 200, "X's authorize page")
            form = {**dict(parse_qsl(urlsplit(authorize).query)), "username": member.username, "action": "authorize"}
            approved = await browser.post(f"{fake.base_url}/i/oauth2/authorize", data=form)
            expect(approved, 302, "X's Authorize app")
            done = await browser.get(approved.headers["location"])
            expect(done, 200, "/oauth/x/callback")
            if f"Connected @{member.username}" not in done.text:
                raise RuntimeError(f"the panel did not confirm @{member.username}'s sign-in")


def expect(answer: httpx.Response, status: int, step: str) -> None:
    if answer.status_code != status:
        raise RuntimeError(f"{step} answered HTTP {answer.status_code}, not {status}")
