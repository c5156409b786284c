"""/connect, /disconnect and /stats with Sign in with X, through the real discord.py harness and the fake X's OAuth."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from engagement.services import Services
from engagement.settings import Settings
from engagement.x_oauth import REFRESH_AHEAD_SECONDS, XOAuthClient, XTokens
from engagement.x_oauth.sign_in import NOT_SET_UP, authorize_url, finish_sign_in, sign_in_link
from sandbox.fake_x import FakeX
from tests.bot.conftest import ALICE
from tests.conftest import FakeClock
from tests.fakes.discord_api import SentMessage
from tests.fakes.discord_fixtures import Keyspace
from tests.fakes.discord_harness import DiscordHarness
from tests.fakes.discord_payloads import GUILD_ID
from tests.fakes.x_tokens import with_x_sign_in

PANEL = "http://panel.test"
CLIENT_ID = "fake-client"
DEFERRED_MESSAGE = 5
LINK_BUTTON = 5  # discord.ButtonStyle.link


@pytest.fixture
def sign_in_configured() -> bool:
    return True


@pytest.fixture
def bot_settings(bot_settings: Settings, fake_x: FakeX, sign_in_configured: bool) -> Settings:
    """The bot's settings with Sign in with X set up against the fake X (or, when not configured, without)."""
    if not sign_in_configured:
        return bot_settings
    return with_x_sign_in(bot_settings, fake_x, CLIENT_ID, PANEL)


@pytest.fixture
async def vault(services: Services) -> AsyncIterator[tuple[XOAuthClient, XTokens]]:
    oauth = XOAuthClient(services.settings)
    tokens = XTokens.from_settings(services.communities.shared, services.settings)
    yield oauth, tokens
    await oauth.aclose()
    await tokens.aclose()


async def signed_in(services: Services, fake_x: FakeX, vault: tuple[XOAuthClient, XTokens], username: str) -> str:
    """ALICE signs in with the X account `username` through the fake's OAuth (as the web routes do)."""
    oauth, tokens = vault
    x_id = fake_x.add_user(username)
    link = await sign_in_link(services, str(ALICE.id), GUILD_ID)
    state = parse_qs(urlsplit(link).query)["state"][0]
    callback = fake_x.approve(await authorize_url(services, oauth, state), username)
    code = parse_qs(urlsplit(callback).query)["code"][0]
    result = await finish_sign_in(services, oauth, tokens, state, code)
    assert (result.x_user_id, result.handle) == (x_id, username)
    return x_id


def link_buttons(message: SentMessage) -> list[dict[str, Any]]:
    items = [item for row in message.components for item in row.get("components", [])]
    return [item for item in items if item.get("style") == LINK_BUTTON]


def custom_id_of(message: SentMessage, label: str) -> str:
    items = [item for row in message.components for item in row.get("components", [])]
    [found] = [item["custom_id"] for item in items if item.get("label") == label and "custom_id" in item]
    return str(found)


def only_sign_in_button(message: SentMessage) -> str:
    [button] = link_buttons(message)
    assert button["label"] == "Sign in with X"
    url = str(button["url"])
    assert url.startswith(f"{PANEL}/oauth/x/start?state=")
    return url


async def test_connect_without_a_handle_offers_the_sign_in_link(discord: DiscordHarness) -> None:
    reply = await discord.slash("connect", member=ALICE)

    assert reply.last.ephemeral
    assert "Sign in with X" in reply.last.content
    assert "works once, for 10 minutes" in reply.last.content
    only_sign_in_button(reply.last)


async def test_the_link_starts_the_member_s_own_sign_in(
    discord: DiscordHarness, services: Services, fake_x: FakeX, vault: tuple[XOAuthClient, XTokens]
) -> None:
    reply = await discord.slash("connect", member=ALICE)
    state = parse_qs(urlsplit(only_sign_in_button(reply.last)).query)["state"][0]
    x_id = fake_x.add_user("alice")
    oauth, tokens = vault

    callback = fake_x.approve(await authorize_url(services, oauth, state), "alice")
    result = await finish_sign_in(services, oauth, tokens, state, parse_qs(urlsplit(callback).query)["code"][0])

    assert result.x_user_id == x_id
    connection = await services.store.get_connection(str(ALICE.id))
    assert connection is not None
    assert (connection.x_user_id, connection.verified_by) == (x_id, "oauth")


@pytest.mark.parametrize("sign_in_configured", [False])
async def test_connect_without_a_handle_when_sign_in_is_not_set_up(discord: DiscordHarness, keyspace: Keyspace) -> None:
    before = await keyspace()

    reply = await discord.slash("connect", member=ALICE)

    assert NOT_SET_UP in reply.last.content
    assert reply.last.ephemeral
    assert reply.last.components == []
    assert await keyspace() == before


async def test_connect_with_a_handle_gives_the_code_and_the_link(
    discord: DiscordHarness, services: Services, fake_x: FakeX
) -> None:
    x_id = fake_x.add_user("alice")
    started = await discord.slash("connect", {"handle": "alice"}, member=ALICE)

    assert started.callback_type == DEFERRED_MESSAGE
    assert started.last.ephemeral
    assert "put this code in your X bio" in started.last.content
    assert "Or press **Sign in with X** instead" in started.last.content
    only_sign_in_button(started.last)
    code = re.search(r"ENG-[A-Z0-9]{6}", started.last.content)
    assert code

    fake_x.set_description(x_id, f"gm {code.group()}")  # the code route works as before
    verified = await discord.click(started.last, custom_id_of(started.last, "Verify"), member=ALICE)

    assert "Connected **@alice** (code found in your bio)" in verified.last.content
    connection = await services.store.get_connection(str(ALICE.id))
    assert connection is not None
    assert (connection.x_user_id, connection.verified_by) == (x_id, "bio")


async def test_disconnect_revokes_the_sign_in_at_x_and_deletes_the_tokens(
    discord: DiscordHarness, services: Services, fake_x: FakeX, vault: tuple[XOAuthClient, XTokens]
) -> None:
    x_id = await signed_in(services, fake_x, vault, "alice")
    shared = services.communities.shared
    record = await shared.x_token_record(x_id)
    access = vault[1].cipher.decrypt(record["access"]) if vault[1].cipher else ""
    assert fake_x.oauth_requests == {"authorization_code": 1}

    reply = await discord.slash("disconnect", member=ALICE)

    assert "Disconnected @alice" in reply.last.content
    assert fake_x.oauth_requests == {"authorization_code": 1, "revoke": 1}
    assert await shared.x_token_record(x_id) == {}
    connection = await services.store.get_connection(str(ALICE.id))
    assert connection is not None  # points and tier stay
    assert connection.x_user_id is None
    assert await services.store.member_for_x_user(x_id) is None
    async with httpx.AsyncClient() as http:  # the grant ended at X: its access token works no more
        me = await http.get(f"{fake_x.base_url}/2/users/me", headers={"Authorization": f"Bearer {access}"})
    assert me.status_code == 401


async def test_stats_says_whether_likes_count(
    discord: DiscordHarness,
    services: Services,
    fake_x: FakeX,
    vault: tuple[XOAuthClient, XTokens],
    clock: FakeClock,
) -> None:
    x_id = await signed_in(services, fake_x, vault, "alice")

    counted = await discord.slash("stats", member=ALICE)
    assert "Likes on @alice's posts count (signed in with X)" in counted.last.embeds[0]["footer"]["text"]

    fake_x.end_grants(x_id)  # the member revoked the app at X
    clock.advance(7200 - REFRESH_AHEAD_SECONDS + 1)  # the access token is due for a refresh
    assert await vault[1].access_token(x_id) is None  # X refuses the refresh: needs_reauth
    assert (await services.communities.shared.x_token_record(x_id))["status"] == "needs_reauth"

    refused = await discord.slash("stats", member=ALICE)
    footer = refused.last.embeds[0]["footer"]["text"]
    assert "Likes on @alice's posts are not counted now: X no longer accepts the sign-in" in footer
    assert "Sign in with X again fixes it" in footer
