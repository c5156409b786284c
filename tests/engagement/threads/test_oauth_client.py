"""The Threads OAuth client against the fake Threads: the code for a long-lived token (through the 1-hour one),
refresh, and every refusal or breakage mapped to ThreadsOAuthRefused or ThreadsOAuthUnavailable."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from pydantic import SecretStr

from engagement.settings import Settings, load_settings
from engagement.threads import ThreadsError
from engagement.threads.oauth import (
    SCOPES,
    ThreadsGrant,
    ThreadsOAuthClient,
    ThreadsOAuthRefused,
    ThreadsOAuthUnavailable,
)
from sandbox.fake_threads import FakeThreads
from tests.conftest import FakeClock

USER = "7001"
PANEL = "https://panel.example.test"
CALLBACK = f"{PANEL}/oauth/threads/callback"
DAY = 86_400


@dataclass(frozen=True)
class OAuth:
    fake: FakeThreads
    client: ThreadsOAuthClient
    settings: Settings
    clock: FakeClock


def _settings(fake: FakeThreads, *, secret: str | None = None, panel: str = PANEL) -> Settings:
    return load_settings(
        _env_file=None,
        threads_app_id=fake.app_id,
        threads_app_secret=SecretStr(secret or fake.app_secret),
        threads_api_base_url=fake.base_url,
        threads_authorize_url=f"{fake.base_url}/oauth/authorize",
        public_base_url=panel,
    )


@pytest.fixture
async def oauth(clock: FakeClock, fake_threads: FakeThreads) -> AsyncIterator[OAuth]:
    fake_threads.add_user(USER, "alice.t")
    settings = _settings(fake_threads)
    client = ThreadsOAuthClient(settings)
    yield OAuth(fake_threads, client, settings, clock)
    await client.aclose()


def _code(callback: str) -> str:
    return parse_qs(urlsplit(callback).query)["code"][0]


async def test_the_authorize_url_asks_for_the_three_scopes_and_comes_back_to_the_panel(oauth: OAuth) -> None:
    url = oauth.client.authorize_url("state-123")
    assert url.startswith(f"{oauth.fake.base_url}/oauth/authorize?")
    query = parse_qs(urlsplit(url).query)
    assert query == {
        "client_id": [oauth.fake.app_id],
        "redirect_uri": [CALLBACK],
        "scope": [SCOPES],
        "response_type": ["code"],
        "state": ["state-123"],
    }
    assert SCOPES == "threads_basic,threads_manage_insights,threads_read_replies"


async def test_the_browser_flow_gives_a_code_the_client_exchanges_for_a_long_lived_token_once(oauth: OAuth) -> None:
    oauth.fake.authorize_as(USER)
    async with httpx.AsyncClient() as browser:
        approved = await browser.get(oauth.client.authorize_url("s1"))
    assert approved.status_code == 302
    callback = approved.headers["location"]
    assert callback.startswith(f"{CALLBACK}?")
    assert parse_qs(urlsplit(callback).query)["state"] == ["s1"]

    grant = await oauth.client.exchange_code(_code(callback), oauth.clock())

    assert grant == ThreadsGrant(grant.access_token, USER, oauth.clock() + 60 * DAY)
    assert oauth.fake.tokens[grant.access_token].kind == "long"
    assert oauth.fake.oauth_requests == {"authorization_code": 1, "th_exchange_token": 1}
    with pytest.raises(ThreadsOAuthRefused) as raised:
        await oauth.client.exchange_code(_code(callback), oauth.clock())
    assert _code(callback) not in str(raised.value)
    assert oauth.fake.oauth_requests["th_exchange_token"] == 1  # the refused code went no further


async def test_a_code_is_refused_when_late_for_another_redirect_or_with_a_wrong_secret(oauth: OAuth) -> None:
    authorize = oauth.client.authorize_url("s")
    late = _code(oauth.fake.approve(authorize, USER))
    oauth.clock.advance(601)  # codes last ten minutes
    with pytest.raises(ThreadsOAuthRefused):
        await oauth.client.exchange_code(late, oauth.clock())

    elsewhere = ThreadsOAuthClient(_settings(oauth.fake, panel="https://other.example.test"))
    wrong_secret = ThreadsOAuthClient(_settings(oauth.fake, secret="not-the-secret"))
    try:
        for client in (elsewhere, wrong_secret):
            with pytest.raises(ThreadsOAuthRefused):
                await client.exchange_code(_code(oauth.fake.approve(authorize, USER)), oauth.clock())
    finally:
        await elsewhere.aclose()
        await wrong_secret.aclose()
    assert oauth.fake.oauth_requests["th_exchange_token"] == 0


async def test_a_refresh_gives_a_new_token_for_sixty_days_from_now(oauth: OAuth) -> None:
    old = oauth.fake.grant_token(USER, expires_at=oauth.clock() + 10 * DAY, issued_at=oauth.clock() - 50 * DAY)
    grant = await oauth.client.refresh(old, oauth.clock())
    assert grant.access_token != old
    assert (grant.user_id, grant.expires_at) == ("", oauth.clock() + 60 * DAY)
    assert oauth.fake.tokens[grant.access_token].expires_at == oauth.clock() + 60 * DAY
    assert oauth.fake.oauth_requests == {"th_refresh_token": 1}


async def test_a_young_or_expired_token_is_not_refreshed(oauth: OAuth) -> None:
    young = oauth.fake.grant_token(USER)  # Meta refreshes only tokens at least 24 hours old
    with pytest.raises(ThreadsOAuthRefused):
        await oauth.client.refresh(young, oauth.clock())
    oauth.clock.advance(DAY)
    assert (await oauth.client.refresh(young, oauth.clock())).access_token != young
    expired = oauth.fake.grant_token(USER, issued_at=oauth.clock() - 70 * DAY, expires_at=oauth.clock() - 1)
    with pytest.raises(ThreadsOAuthRefused) as raised:
        await oauth.client.refresh(expired, oauth.clock())
    assert expired not in str(raised.value)


@pytest.mark.parametrize("fault", ["500", "malformed"])
async def test_a_broken_answer_is_unavailable_not_a_refusal(oauth: OAuth, fault: str) -> None:
    token = oauth.fake.grant_token(USER, issued_at=oauth.clock() - 2 * DAY)
    oauth.fake.fail_next(fault)  # type: ignore[arg-type]
    with pytest.raises(ThreadsOAuthUnavailable):
        await oauth.client.refresh(token, oauth.clock())
    code = _code(oauth.fake.approve(oauth.client.authorize_url("s"), USER))
    oauth.fake.fail_next(fault)  # type: ignore[arg-type]
    with pytest.raises(ThreadsOAuthUnavailable):
        await oauth.client.exchange_code(code, oauth.clock())


async def test_an_unreachable_threads_is_unavailable(oauth: OAuth) -> None:
    token = oauth.fake.grant_token(USER, issued_at=oauth.clock() - 2 * DAY)
    await oauth.fake.close()
    with pytest.raises(ThreadsOAuthUnavailable, match="could not be reached"):
        await oauth.client.refresh(token, oauth.clock())


def test_both_errors_are_threads_errors() -> None:
    assert issubclass(ThreadsOAuthRefused, ThreadsError)
    assert issubclass(ThreadsOAuthUnavailable, ThreadsError)
