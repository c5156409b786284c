"""The web panel as a browser meets it: the app served on loopback, the fake Discord OAuth beside it, a small
community in Redis (members, a tweet with awards, a finished batch), and a login through Discord's redirects."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

from playwright.async_api import Page, expect

from engagement.services import Services
from engagement.settings import Settings, load_settings
from engagement.store import Store
from tests.engagement.admin.world import ALICE, BOB, CAROL, award, connect, submit
from tests.fakes.discord_oauth import MANAGE_GUILD, FakeDiscordOAuth, FakeUser
from tests.fakes.discord_payloads import ADMIN_ROLE_ID, APP_ID, GUILD_ID

CLIENT_SECRET = "browser-test-secret"
ADMIN_ID = "900000000000000001"
MEMBER_ID = BOB
TWEET = "1850000000000000001"
OTHER_TWEET = "1850000000000000002"
AWARDS = {BOB: ("retweet", 4), CAROL: ("reply", 3)}
"""What the seeded tweet paid: member -> (engagement type, points)."""


class NoX:
    """The panel never looks anything up on X: any call fails the test."""

    def __getattr__(self, name: str) -> Any:
        raise AssertionError(f"the web panel called X ({name})")


@dataclass(frozen=True)
class Panel:
    url: str
    store: Store
    oauth: FakeDiscordOAuth
    admin: FakeUser
    member: FakeUser

    def at(self, path: str) -> str:
        return f"{self.url}/c/{GUILD_ID}/{path}"


@asynccontextmanager
async def fake_discord_oauth() -> AsyncIterator[FakeDiscordOAuth]:
    """The fake on a loopback port of this loop: the browser and the panel both reach it."""
    fake = FakeDiscordOAuth(str(APP_ID), CLIENT_SECRET)
    await fake.start()
    try:
        yield fake
    finally:
        await fake.close()


def panel_settings(panel_url: str, oauth_url: str) -> Settings:
    return load_settings(
        _env_file=None,
        discord_guild_id=GUILD_ID,
        discord_application_id=APP_ID,
        admin_role_ids=str(ADMIN_ROLE_ID),
        categories="general,meme,thread",
        discord_client_secret=CLIENT_SECRET,
        discord_api_base_url=oauth_url,
        public_base_url=panel_url,
    )


def panel_services(settings: Settings, store: Store) -> Services:
    return Services(settings=settings, store=store, x=NoX(), clock=store.now)


async def seed(store: Store) -> str:
    """Three members, a tweet of Alice's that paid Bob and Carol, another tweet, one finished batch (its id)."""
    for member in (ALICE, BOB, CAROL):
        await connect(store, member)
    await submit(store, ALICE, TWEET)
    await submit(store, ALICE, OTHER_TWEET, category="meme")
    for member, (kind, points) in AWARDS.items():
        await award(store, TWEET, member, kind, points)
    batch_id = await store.start_batch({"started_at": int(store.now()) - 60, "worker": "host:1"})
    finished = {"status": "completed", "finished_at": int(store.now()), "awards": len(AWARDS), "x_requests": 3}
    await store.update_batch(batch_id, {**finished, "points_awarded": sum(p for _, p in AWARDS.values())})
    return batch_id


def panel_users(oauth: FakeDiscordOAuth) -> tuple[FakeUser, FakeUser]:
    """An admin (Manage Server) and a plain member of the community."""
    admin = oauth.add_user(ADMIN_ID, "Ada Admin").join(GUILD_ID, permissions=MANAGE_GUILD)
    member = oauth.add_user(MEMBER_ID, "Bob Member").join(GUILD_ID)
    return admin, member


async def log_in(page: Page, panel: Panel, user: FakeUser) -> None:
    """Click "Log in with Discord": the browser follows /login -> Discord's authorize -> /auth/callback -> /."""
    panel.oauth.log_in_as(user)
    await page.goto(panel.url + "/")
    await page.get_by_role("link", name="Log in with Discord").click()
    await expect(page.get_by_role("heading", name="Your communities")).to_be_visible()
    await expect(page.get_by_role("button", name="Log out")).to_be_visible()


async def open_tab(page: Page, name: str) -> None:
    """Click one of the community's tabs and wait for its heading."""
    await page.get_by_role("navigation", name="Community").get_by_role("link", name=name, exact=True).click()
    await expect(page.get_by_role("heading", level=1)).to_contain_text(name.split()[0])


async def notice(page: Page) -> str:
    """The one-time notice a change leaves on the page it returns to."""
    shown = page.get_by_role("status")
    await expect(shown).to_be_visible()
    return await shown.inner_text()
