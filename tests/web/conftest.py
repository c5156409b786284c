"""The panel under test: create_app on the `store` (fakeredis), Discord's OAuth served by a loopback fake,
and an httpx client (ASGITransport) that logs in through it like a browser."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from dataclasses import dataclass

import httpx
import pytest

from engagement.discord_oauth import DiscordOAuth
from engagement.services import Services
from engagement.settings import Settings, load_settings
from engagement.store import Store
from tests.conftest import FakeClock
from tests.engagement.admin.world import ALICE, BOB, TWEET_ID, award, connect, submit
from tests.fakes.discord_oauth import MANAGE_GUILD, FakeDiscordOAuth, FakeUser
from web.app import create_app

HOME = 1100000000000000001
OTHER = 1100000000000000002
NOT_SERVED = 1100000000000000009
ADMIN_ROLE = 1200000000000000001
APP_ID = 1300000000000000001
SECRET = "client-secret-for-tests"
BASE = "http://panel.test"
CSRF = re.compile(r'name="csrf" value="([^"]+)"')


@dataclass
class Panel:
    client: httpx.AsyncClient
    discord: FakeDiscordOAuth
    services: Services
    store: Store
    clock: FakeClock
    admin: FakeUser  # Manage Server in HOME
    role_admin: FakeUser  # holds ADMIN_ROLE in HOME (ADMIN_ROLE_IDS)
    member: FakeUser  # in HOME, no permission
    other_admin: FakeUser  # admin of the OTHER served community only

    async def login(self, user: FakeUser) -> httpx.Response:
        """The whole browser round trip: /login -> Discord's authorize -> /auth/callback."""
        self.discord.log_in_as(user)
        start = await self.client.get("/login")
        assert start.status_code == 303, start.text
        async with httpx.AsyncClient() as browser:
            approved = await browser.get(start.headers["location"])
        assert approved.status_code == 302, approved.text
        return await self.client.get(approved.headers["location"])

    async def csrf(self) -> str:
        found = CSRF.search((await self.client.get("/")).text)
        assert found, "no CSRF token on the home page: not logged in?"
        return found.group(1)

    def session_cookie(self) -> str | None:
        return self.client.cookies.get("engagement_session", domain="panel.test")


@pytest.fixture
async def fake_discord() -> AsyncIterator[FakeDiscordOAuth]:
    fake = FakeDiscordOAuth(str(APP_ID), SECRET)
    await fake.start()
    yield fake
    await fake.close()


@pytest.fixture
def web_settings(fake_discord: FakeDiscordOAuth, store: Store) -> Settings:
    return load_settings(
        _env_file=None,
        discord_guild_id=HOME,
        allowed_guilds=str(OTHER),
        key_prefix=store.keys.prefix,
        admin_role_ids=str(ADMIN_ROLE),
        discord_application_id=APP_ID,
        discord_client_secret=SECRET,
        discord_api_base_url=fake_discord.base_url,
        public_base_url=BASE,
    )


async def seed(store: Store) -> None:
    """A few members, one tracked tweet with awards: every page has something to show."""
    for who in (ALICE, BOB):
        await connect(store, who)
    await submit(store, BOB, TWEET_ID)
    await award(store, TWEET_ID, ALICE, "reply", 3)


@pytest.fixture
async def panel(
    web_settings: Settings, store: Store, clock: FakeClock, fake_discord: FakeDiscordOAuth
) -> AsyncIterator[Panel]:
    services = Services(settings=web_settings, store=store, x=None, clock=clock)  # type: ignore[arg-type]
    await seed(store)
    oauth = DiscordOAuth(web_settings)
    app = create_app(services, web_settings, oauth)
    users = {
        "admin": fake_discord.add_user("100000000000000011", "Ada").join(HOME, permissions=MANAGE_GUILD),
        "role_admin": fake_discord.add_user("100000000000000012").join(HOME, roles=(ADMIN_ROLE,)),
        "member": fake_discord.add_user("100000000000000013").join(HOME).join(NOT_SERVED, permissions=MANAGE_GUILD),
        "other_admin": fake_discord.add_user("100000000000000014").join(OTHER, permissions=MANAGE_GUILD),
    }
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=BASE) as client:
        yield Panel(client, fake_discord, services, store, clock, **users)
    await oauth.aclose()


@pytest.fixture
async def admin_panel(panel: Panel) -> Panel:
    """The panel with its Manage Server admin logged in."""
    await panel.login(panel.admin)
    return panel


@pytest.fixture
async def role_admin_panel(panel: Panel) -> Panel:
    """The panel with an admin by role id (ADMIN_ROLE_IDS) logged in."""
    await panel.login(panel.role_admin)
    return panel
