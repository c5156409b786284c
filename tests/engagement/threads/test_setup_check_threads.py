"""`/admin setup`'s Threads line: one app-token request against the fake Threads proves the app id and secret."""

from __future__ import annotations

import pytest
from pydantic import SecretStr

from engagement.settings import Settings, load_settings
from engagement.setup_check import threads_check
from engagement.store import Store
from engagement.threads import ThreadsAccess
from engagement.threads.client import ThreadsClient
from sandbox.fake_threads import FakeThreads
from tests.engagement.threads.threads_world import threads_vault
from tests.fakes.x_tokens import TEST_TOKEN_KEY


@pytest.fixture
def fake(fake_threads: FakeThreads) -> FakeThreads:
    return fake_threads


def _settings(fake: FakeThreads, secret: str, *, sign_in: bool = True) -> Settings:
    extra = {"public_base_url": "https://panel.example", "token_encryption_keys": TEST_TOKEN_KEY.decode()}
    return load_settings(
        _env_file=None,
        threads_app_id=fake.app_id,
        threads_app_secret=SecretStr(secret),
        threads_api_base_url=fake.base_url,
        **(extra if sign_in else {}),
    )


async def _check(store: Store, settings: Settings) -> tuple[bool, str]:
    client = ThreadsClient(settings)
    try:
        check = await threads_check(settings, ThreadsAccess(client, threads_vault(store)))
    finally:
        await client.aclose()
    return check.ok, check.detail


async def test_working_credentials_pass_with_one_request(store: Store, fake: FakeThreads) -> None:
    ok, detail = await _check(store, _settings(fake, fake.app_secret))
    assert ok, detail
    assert "members connect with /connect platform:threads" in detail
    assert fake.oauth_requests == {"client_credentials": 1}


async def test_a_wrong_secret_says_what_to_fix(store: Store, fake: FakeThreads) -> None:
    ok, detail = await _check(store, _settings(fake, "wrong-secret"))
    assert not ok
    assert "refuses THREADS_APP_ID / THREADS_APP_SECRET" in detail


async def test_without_the_web_settings_members_cannot_connect(store: Store, fake: FakeThreads) -> None:
    ok, detail = await _check(store, _settings(fake, fake.app_secret, sign_in=False))
    assert not ok
    assert "set PUBLIC_BASE_URL and TOKEN_ENCRYPTION_KEYS" in detail


async def test_threads_down_is_not_called_a_bad_secret(store: Store, fake: FakeThreads) -> None:
    fake.fail_next("500")
    ok, detail = await _check(store, _settings(fake, fake.app_secret))
    assert not ok
    assert "did not answer" in detail


async def test_not_set_up_is_fine(store: Store) -> None:
    check = await threads_check(load_settings(_env_file=None), None)
    assert check.ok
    assert "not set up (optional)" in check.detail
