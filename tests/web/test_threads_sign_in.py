"""Connect Threads on the web service: /oauth/threads/start and /oauth/threads/callback against the fake Threads.

A refusal answers a page with the clear message and leaves Redis as it was (once the callback was reached,
with only the one-time state used up)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from pydantic import SecretStr

from engagement.discord_oauth import DiscordOAuth
from engagement.services import Services
from engagement.settings import Settings
from engagement.store import Store
from engagement.threads.sign_in import NOT_SET_UP, threads_sign_in_link
from engagement.x_oauth import TokenCipher
from engagement.x_oauth.sign_in import sign_in_link
from sandbox._demo_threads import with_threads
from sandbox.fake_threads import FakeThreads
from tests.conftest import FakeClock, dump_keyspace
from tests.fakes.x_tokens import TEST_TOKEN_KEY
from tests.web.conftest import BASE, HOME, seed
from web.app import create_app

CAROL = "100000000000000003"  # in HOME, not connected yet
CALLBACK = f"{BASE}/oauth/threads/callback"
CAROL_THREADS = "7003"


@dataclass
class ThreadsPanel:
    client: httpx.AsyncClient
    services: Services
    store: Store
    fake: FakeThreads
    app: Any

    async def keyspace(self) -> dict[str, Any]:
        return await dump_keyspace(self.store.redis)

    async def start(self) -> str:
        """/connect platform:threads's link opened in the browser: Threads' authorize URL it redirects to."""
        link = await threads_sign_in_link(self.services, CAROL, HOME)
        answer = await self.client.get(link.removeprefix(BASE))
        assert answer.status_code == 303, answer.text
        return str(answer.headers["location"])

    async def callback(self, url: str) -> httpx.Response:
        assert url.startswith(CALLBACK + "?"), url
        return await self.client.get(url.removeprefix(BASE))


def without_sign_ins(keyspace: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in keyspace.items() if ":xsignin:" not in key}


def _with_threads(settings: Settings, fake: FakeThreads) -> Settings:
    fake.add_user(CAROL_THREADS, "carol.t")
    return with_threads(settings.model_copy(update={"token_encryption_keys": SecretStr(TEST_TOKEN_KEY.decode())}), fake)


@pytest.fixture
async def threads_panel(
    web_settings: Settings, store: Store, clock: FakeClock, fake_threads: FakeThreads
) -> AsyncIterator[ThreadsPanel]:
    settings = _with_threads(web_settings, fake_threads)
    services = Services(settings=settings, store=store, x=None, clock=clock)  # type: ignore[arg-type]
    await seed(store)
    oauth = DiscordOAuth(settings)
    app = create_app(services, settings, oauth)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=BASE) as client:
        yield ThreadsPanel(client, services, store, fake_threads, app)
    await oauth.aclose()
    assert app.state.web.threads_sign_in is not None
    await app.state.web.threads_sign_in.aclose()  # ASGITransport runs no lifespan


async def test_connecting_threads_links_the_account_and_stores_a_long_lived_token(threads_panel: ThreadsPanel) -> None:
    authorize = await threads_panel.start()
    query = parse_qs(urlsplit(authorize).query)
    assert query["scope"] == ["threads_basic,threads_manage_insights,threads_read_replies"]
    assert query["redirect_uri"] == [CALLBACK]
    assert query["response_type"] == ["code"]

    page = await threads_panel.callback(threads_panel.fake.approve(authorize, CAROL_THREADS))

    assert page.status_code == 200, page.text
    assert "Connected Threads account @carol.t" in page.text
    connection = await threads_panel.store.get_connection(CAROL)
    assert connection is not None
    assert (connection.threads_user_id, connection.threads_username, connection.x_user_id) == (
        CAROL_THREADS, "carol.t", None,
    )  # fmt: skip
    assert await threads_panel.store.members_for_x_users(["threads:carol.t"]) == {"threads:carol.t": CAROL}
    assert threads_panel.fake.oauth_requests == {"authorization_code": 1, "th_exchange_token": 1}
    record = await threads_panel.services.communities.shared.x_token_record(f"threads:{CAROL_THREADS}")
    token = TokenCipher([TEST_TOKEN_KEY]).decrypt(record["access"])
    assert threads_panel.fake.tokens[token].kind == "long"  # the long-lived one, not the 1-hour one
    assert token not in repr(await threads_panel.keyspace())


async def test_a_replayed_callback_is_refused_and_changes_nothing(threads_panel: ThreadsPanel) -> None:
    callback = threads_panel.fake.approve(await threads_panel.start(), CAROL_THREADS)
    assert (await threads_panel.callback(callback)).status_code == 200
    before = await threads_panel.keyspace()
    again = await threads_panel.callback(callback)
    assert again.status_code == 409
    assert "has expired" in again.text
    assert await threads_panel.keyspace() == before
    assert threads_panel.fake.oauth_requests["authorization_code"] == 1


async def test_cancel_at_threads_links_nothing(threads_panel: ThreadsPanel) -> None:
    authorize = await threads_panel.start()
    before = await threads_panel.keyspace()
    page = await threads_panel.callback(threads_panel.fake.deny(authorize))
    assert page.status_code == 409
    assert "cancelled at Threads, so nothing was changed" in page.text
    assert without_sign_ins(await threads_panel.keyspace()) == without_sign_ins(before)
    assert threads_panel.fake.oauth_requests == {}


async def test_a_callback_in_another_browser_is_refused(threads_panel: ThreadsPanel) -> None:
    callback = threads_panel.fake.approve(await threads_panel.start(), CAROL_THREADS)
    before = await threads_panel.keyspace()
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=threads_panel.app), base_url=BASE) as other:
        answer = await other.get(callback.removeprefix(BASE))
    assert answer.status_code == 409
    assert "started in another browser" in answer.text
    assert await threads_panel.keyspace() == before


async def test_an_x_sign_in_state_is_no_good_for_threads(threads_panel: ThreadsPanel) -> None:
    """A pending Sign in with X cannot be finished at the Threads callback (nor started at Threads)."""
    services = threads_panel.services
    x_settings = services.settings.model_copy(update={"x_oauth_client_id": "fake-client"})
    link = await sign_in_link(Services(x_settings, services.store, services.x, services.clock), CAROL, HOME)
    state = link.split("state=")[1]
    before = await threads_panel.keyspace()
    answer = await threads_panel.client.get("/oauth/threads/start", params={"state": state})
    assert answer.status_code == 409
    assert await threads_panel.keyspace() == before


async def test_a_linked_account_of_another_member_is_refused(threads_panel: ThreadsPanel) -> None:
    await threads_panel.store.link_threads_account("100000000000000001", CAROL_THREADS, "carol.t", "2026-11-01")
    callback = threads_panel.fake.approve(await threads_panel.start(), CAROL_THREADS)
    page = await threads_panel.callback(callback)
    assert page.status_code == 409
    assert "already linked to another member" in page.text
    assert await threads_panel.store.get_connection(CAROL) is None
    assert await threads_panel.services.communities.shared.x_token_record(f"threads:{CAROL_THREADS}") == {}


async def test_without_threads_set_up_the_routes_say_so(panel: Any) -> None:
    answer = await panel.client.get("/oauth/threads/start", params={"state": "a" * 40})
    assert answer.status_code == 409
    assert NOT_SET_UP.split(" (")[0] in answer.text
