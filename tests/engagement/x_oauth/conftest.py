"""Sign in with X against the fake X's OAuth endpoints: settings, the client, the vault, a real grant."""

from __future__ import annotations

from collections.abc import AsyncIterator
from urllib.parse import parse_qs, urlsplit

import pytest

from engagement.settings import Settings, load_settings
from engagement.store import Store
from engagement.x_oauth import TokenCipher, TokenGrant, XOAuthClient, XTokens, shared_beside
from engagement.x_oauth._client import new_verifier
from sandbox.fake_x import FakeX
from tests.fakes.x_tokens import TEST_TOKEN_KEY, with_x_sign_in

CLIENT_ID = "fake-client"
BASE = "http://panel.test"


@pytest.fixture
def oauth_settings(fake_x: FakeX, key_prefix: str) -> Settings:
    return with_x_sign_in(load_settings(_env_file=None, key_prefix="test"), fake_x, CLIENT_ID, BASE)


@pytest.fixture
async def oauth(oauth_settings: Settings) -> AsyncIterator[XOAuthClient]:
    client = XOAuthClient(oauth_settings)
    yield client
    await client.aclose()


@pytest.fixture
def tokens(store: Store, oauth: XOAuthClient) -> XTokens:
    return XTokens(shared_beside(store), TokenCipher([TEST_TOKEN_KEY]), oauth, store.now)


async def granted(fake_x: FakeX, oauth: XOAuthClient, username: str, now: float) -> TokenGrant:
    """A real grant: X's authorize page approved as `username`, the code exchanged with its verifier."""
    verifier = new_verifier()
    callback = fake_x.approve(oauth.authorize_url("state-1234567890abcdef", verifier), username)
    code = parse_qs(urlsplit(callback).query)["code"][0]
    return await oauth.exchange_code(code, verifier, now)
