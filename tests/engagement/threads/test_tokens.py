"""Threads tokens through the real OAuth client and vault against the fake Threads: the code exchanged for a
long-lived token, refreshed ahead of expiry, and an expired one marked needs_reauth with the member told once."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass

import pytest

from engagement.settings import Settings, load_settings
from engagement.store import Store
from engagement.threads.oauth import SCOPES, ThreadsOAuthClient, ThreadsOAuthRefused
from engagement.threads.tokens import REAUTH_NOTICE, ThreadsRefresher, ThreadsTokens
from engagement.x_oauth import MemberNotice, TokenCipher, shared_beside
from sandbox.fake_threads import FakeThreads
from tests.conftest import FakeClock
from tests.fakes.x_tokens import TEST_TOKEN_KEY

ALICE, USER = "111111111111111111", "7001"
DAY = 86_400


@dataclass(frozen=True)
class Vault:
    fake: FakeThreads
    oauth: ThreadsOAuthClient
    tokens: ThreadsTokens
    clock: FakeClock


@pytest.fixture
async def vault(store: Store, clock: FakeClock, fake_threads: FakeThreads) -> AsyncIterator[Vault]:
    fake = fake_threads
    fake.add_user(USER, "alice.t")
    settings: Settings = load_settings(
        _env_file=None,
        threads_app_id=fake.app_id,
        threads_app_secret=fake.app_secret,
        threads_api_base_url=fake.base_url,
        threads_authorize_url=f"{fake.base_url}/oauth/authorize",
    )
    oauth = ThreadsOAuthClient(settings)
    tokens = ThreadsTokens(shared_beside(store), TokenCipher([TEST_TOKEN_KEY]), ThreadsRefresher(oauth), clock)
    yield Vault(fake, oauth, tokens, clock)
    await oauth.aclose()


async def test_a_code_is_exchanged_for_a_long_lived_token_once(vault: Vault) -> None:
    authorize = vault.oauth.authorize_url("state-123")
    assert f"scope={SCOPES.replace(',', '%2C')}" in authorize
    code = vault.fake.approve(authorize, USER).split("code=")[1].split("&")[0]
    grant = await vault.oauth.exchange_code(code, vault.clock())
    assert grant.user_id == USER
    assert grant.expires_at == vault.clock() + 60 * DAY
    assert vault.fake.tokens[grant.access_token].kind == "long"
    assert vault.fake.oauth_requests == {"authorization_code": 1, "th_exchange_token": 1}
    with pytest.raises(ThreadsOAuthRefused):  # a code works once
        await vault.oauth.exchange_code(code, vault.clock())


async def test_a_token_close_to_expiry_is_refreshed_before_use(vault: Vault) -> None:
    old = vault.fake.grant_token(USER, lasts=10 * DAY)
    await vault.tokens.save_grant(ALICE, USER, old, vault.clock() + 10 * DAY)
    assert await vault.tokens.access_token(USER) == old  # 10 days left: used as it is
    vault.clock.advance(4 * DAY)  # 6 days left: inside the 7-day margin
    new = await vault.tokens.access_token(USER)
    assert new is not None
    assert new != old
    assert vault.fake.oauth_requests["th_refresh_token"] == 1
    record = await vault.tokens.store.x_token_record(f"threads:{USER}")
    assert int(record["expires_at"]) == int(vault.clock() + 60 * DAY)
    assert "access" in record
    assert new not in record.values()
    assert await vault.tokens.access_token(USER) == new  # fresh now: no second refresh
    assert vault.fake.oauth_requests["th_refresh_token"] == 1


async def test_an_expired_token_marks_the_connection_and_tells_the_member_once(vault: Vault) -> None:
    token = vault.fake.grant_token(USER, lasts=DAY * 30)
    await vault.tokens.save_grant(ALICE, USER, token, vault.clock() + 30 * DAY)
    vault.clock.advance(31 * DAY)  # Meta cannot refresh an expired token: the member connects again
    assert await vault.tokens.access_token(USER) is None
    assert await vault.tokens.access_token(USER) is None
    assert await vault.tokens.status(USER) == "needs_reauth"
    notices = []
    while (raw := await vault.tokens.store.pop_member_notice()) is not None:
        notices.append(MemberNotice.from_json(raw))
    assert notices == [MemberNotice(ALICE, REAUTH_NOTICE)]
    assert vault.fake.oauth_requests["th_refresh_token"] == 1


async def test_removing_a_token_deletes_it_here(vault: Vault) -> None:
    await vault.tokens.save_grant(ALICE, USER, vault.fake.grant_token(USER), vault.clock() + 60 * DAY)
    await vault.tokens.remove(USER)
    assert await vault.tokens.store.x_token_record(f"threads:{USER}") == {}
    assert await vault.tokens.access_token(USER) is None
