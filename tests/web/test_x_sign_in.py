"""Sign in with X on the web service: /oauth/x/start and /oauth/x/callback against the fake X's OAuth pages.

Each refusal answers a page with the clear message and leaves Redis as it was (or, once X was reached, with
only the one-time state used up)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from engagement.discord_oauth import DiscordOAuth
from engagement.services import Services
from engagement.settings import Settings
from engagement.store import Store
from engagement.x_oauth import TokenCipher
from engagement.x_oauth.sign_in import EXPIRED, NOT_SET_UP, sign_in_link
from sandbox.fake_x import FakeX
from tests.conftest import FakeClock, dump_keyspace
from tests.engagement.admin.world import BOB
from tests.fakes.discord_oauth import FakeDiscordOAuth
from tests.fakes.x_tokens import TEST_TOKEN_KEY, with_x_sign_in
from tests.web.conftest import BASE, HOME, Panel, seed
from web.app import create_app

CAROL = "100000000000000003"  # in HOME, not connected yet
CLIENT_ID = "fake-client"
CALLBACK = f"{BASE}/oauth/x/callback"


@dataclass
class SignInPanel:
    client: httpx.AsyncClient
    services: Services
    store: Store
    fake: FakeX
    clock: FakeClock
    app: Any

    def other_browser(self) -> httpx.AsyncClient:
        return httpx.AsyncClient(transport=httpx.ASGITransport(app=self.app), base_url=BASE)

    async def keyspace(self) -> dict[str, Any]:
        return await dump_keyspace(self.store.redis)

    async def link(self, discord_id: str = CAROL) -> str:
        return await sign_in_link(self.services, discord_id, HOME)

    async def start(self, link: str) -> str:
        """GET the link on the app: X's authorize URL it redirects to."""
        answer = await self.client.get(link.removeprefix(BASE))
        assert answer.status_code == 303, answer.text
        return answer.headers["location"]

    async def callback(self, url: str) -> httpx.Response:
        assert url.startswith(CALLBACK + "?"), url
        return await self.client.get(url.removeprefix(BASE))

    async def approved(self, username: str, discord_id: str = CAROL) -> str:
        """The whole way to X and back: the callback URL X gives `username` after "Authorize app"."""
        return self.fake.approve(await self.start(await self.link(discord_id)), username)

    def token_record(self, x_user_id: str) -> Any:
        return self.services.communities.shared.x_token_record(x_user_id)


def without_sign_ins(keyspace: dict[str, Any]) -> dict[str, Any]:
    """The keyspace but the pending sign-ins (a callback uses its state up, whatever comes of it)."""
    return {key: value for key, value in keyspace.items() if ":xsignin:" not in key}


@pytest.fixture
def sign_in_settings(web_settings: Settings, fake_x: FakeX) -> Settings:
    return with_x_sign_in(web_settings, fake_x, CLIENT_ID)


@pytest.fixture
async def x_panel(
    sign_in_settings: Settings, store: Store, clock: FakeClock, fake_x: FakeX
) -> AsyncIterator[SignInPanel]:
    services = Services(settings=sign_in_settings, store=store, x=None, clock=clock)  # type: ignore[arg-type]
    await seed(store)
    oauth = DiscordOAuth(sign_in_settings)
    app = create_app(services, sign_in_settings, oauth)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=BASE) as client:
        yield SignInPanel(client, services, store, fake_x, clock, app)
    await oauth.aclose()
    assert app.state.web.x_sign_in is not None
    await app.state.web.x_sign_in.aclose()  # ASGITransport runs no lifespan


async def test_sign_in_links_the_account_and_stores_its_tokens_encrypted(x_panel: SignInPanel) -> None:
    alice = x_panel.fake.add_user("alice")
    link = await x_panel.link()
    assert link.startswith(f"{BASE}/oauth/x/start?state=")

    authorize = await x_panel.start(link)
    assert authorize.startswith(f"{x_panel.fake.base_url}/i/oauth2/authorize?")
    query = parse_qs(urlsplit(authorize).query)
    assert query["code_challenge_method"] == ["S256"]
    assert len(query["code_challenge"][0]) == 43
    assert query["redirect_uri"] == [CALLBACK]
    assert query["scope"] == ["tweet.read users.read like.read offline.access"]
    assert query["client_id"] == [CLIENT_ID]

    page = await x_panel.callback(x_panel.fake.approve(authorize, "alice"))
    assert page.status_code == 200, page.text
    assert "Connected @alice" in page.text
    connection = await x_panel.store.get_connection(CAROL)
    assert connection is not None
    assert (connection.x_user_id, connection.handle, connection.verified_by) == (alice, "alice", "oauth")
    assert await x_panel.store.member_for_x_user(alice) == CAROL
    assert x_panel.fake.oauth_requests == {"authorization_code": 1}

    record = await x_panel.token_record(alice)
    assert (record["status"], record["discord_id"]) == ("ok", CAROL)
    access = TokenCipher([TEST_TOKEN_KEY]).decrypt(record["access"])
    refresh = TokenCipher([TEST_TOKEN_KEY]).decrypt(record["refresh"])
    stored = repr(await x_panel.keyspace())
    assert access not in stored
    assert refresh not in stored
    async with httpx.AsyncClient() as http:  # what is stored is the token X issued for alice
        me = await http.get(f"{x_panel.fake.base_url}/2/users/me", headers={"Authorization": f"Bearer {access}"})
    assert me.json()["data"]["id"] == alice


async def test_a_replayed_callback_is_refused_and_changes_nothing(x_panel: SignInPanel) -> None:
    x_panel.fake.add_user("alice")
    callback = await x_panel.approved("alice")
    assert (await x_panel.callback(callback)).status_code == 200
    before = await x_panel.keyspace()

    again = await x_panel.callback(callback)

    assert again.status_code == 409
    assert "has expired" in again.text
    assert "or was already used" in again.text
    assert await x_panel.keyspace() == before
    assert x_panel.fake.oauth_requests == {"authorization_code": 1}  # X was not asked again


async def test_cancel_at_x_links_nothing(x_panel: SignInPanel) -> None:
    x_panel.fake.add_user("alice")
    link = await x_panel.link()
    authorize = await x_panel.start(link)
    before = await x_panel.keyspace()
    form = {**{name: values[0] for name, values in parse_qs(urlsplit(authorize).query).items()}, "action": "cancel"}
    async with httpx.AsyncClient() as browser:
        cancelled = await browser.post(f"{x_panel.fake.base_url}/i/oauth2/authorize", data=form)
    assert cancelled.status_code == 302
    assert "error=access_denied" in cancelled.headers["location"]

    page = await x_panel.callback(cancelled.headers["location"])

    assert page.status_code == 409
    assert "The sign-in was cancelled at X, so nothing was changed" in page.text
    assert without_sign_ins(await x_panel.keyspace()) == without_sign_ins(before)
    assert await x_panel.store.get_connection(CAROL) is None
    assert x_panel.fake.oauth_requests == {}
    assert (await x_panel.client.get(link.removeprefix(BASE))).status_code == 409  # the state is used up


async def test_a_callback_in_another_browser_is_refused_and_changes_nothing(x_panel: SignInPanel) -> None:
    x_panel.fake.add_user("alice")
    callback = await x_panel.approved("alice")  # started in x_panel's browser: the cookie is there
    before = await x_panel.keyspace()

    async with x_panel.other_browser() as elsewhere:
        answer = await elsewhere.get(callback.removeprefix(BASE))

    assert answer.status_code == 409
    assert "started in another browser or by someone else" in answer.text
    assert await x_panel.keyspace() == before  # the state stays pending for the right browser
    assert x_panel.fake.oauth_requests == {}
    assert (await x_panel.callback(callback)).status_code == 200


@pytest.mark.parametrize(
    "state",
    ["", "unknown-state-0123456789abcdef", "short", "has spaces in it 0123456789", "x" * 129, "../../etc/passwd-x"],
)
async def test_a_bad_or_unknown_state_on_start_is_refused(x_panel: SignInPanel, state: str) -> None:
    await x_panel.link()  # a real pending sign-in exists: a wrong state must not reach it
    before = await x_panel.keyspace()

    answer = await x_panel.client.get("/oauth/x/start", params={"state": state})

    assert answer.status_code == 409
    assert EXPIRED.split(" (")[0] in answer.text
    assert "location" not in answer.headers
    assert await x_panel.keyspace() == before


async def test_an_unknown_state_on_the_callback_is_refused(x_panel: SignInPanel) -> None:
    x_panel.fake.add_user("alice")
    callback = await x_panel.approved("alice")
    before = await x_panel.keyspace()
    forged = callback.replace("state=", "state=forged", 1)

    answer = await x_panel.callback(forged)

    assert answer.status_code == 409
    assert "has expired" in answer.text
    assert await x_panel.keyspace() == before
    assert x_panel.fake.oauth_requests == {}  # the code was never sent to X


async def test_an_account_linked_to_another_member_is_refused_and_its_grant_revoked(x_panel: SignInPanel) -> None:
    alice = x_panel.fake.add_user("alice")
    await x_panel.store.link_account(BOB, alice, "alice", "bio", "2026-11-18T00:00:00+00:00")
    callback = await x_panel.approved("alice")
    before = await x_panel.keyspace()

    page = await x_panel.callback(callback)

    assert page.status_code == 409
    assert "already linked to another member" in page.text
    assert without_sign_ins(await x_panel.keyspace()) == without_sign_ins(before)
    assert await x_panel.token_record(alice) == {}
    assert await x_panel.store.member_for_x_user(alice) == BOB
    assert await x_panel.store.get_connection(CAROL) is None
    assert x_panel.fake.oauth_requests == {"authorization_code": 1, "revoke": 1}


async def test_a_code_older_than_thirty_seconds_is_refused(x_panel: SignInPanel) -> None:
    alice = x_panel.fake.add_user("alice")
    callback = await x_panel.approved("alice")
    before = await x_panel.keyspace()
    x_panel.clock.advance(31)

    page = await x_panel.callback(callback)

    assert page.status_code == 409
    assert "X did not accept this sign-in" in page.text
    assert without_sign_ins(await x_panel.keyspace()) == without_sign_ins(before)
    assert await x_panel.store.get_connection(CAROL) is None
    assert await x_panel.token_record(alice) == {}
    assert x_panel.fake.oauth_requests == {"authorization_code": 1}


async def test_not_configured_the_routes_say_so(panel: Panel, fake_discord: FakeDiscordOAuth) -> None:
    before = await dump_keyspace(panel.store.redis)

    start = await panel.client.get("/oauth/x/start", params={"state": "a-state-from-somewhere-0123456789"})
    callback = await panel.client.get("/oauth/x/callback", params={"state": "whatever-it-is-0123", "code": "c"})

    for answer in (start, callback):
        assert answer.status_code == 409
        assert NOT_SET_UP in answer.text
    assert await dump_keyspace(panel.store.redis) == before
