"""Members signed in with X, for tests: their tokens stored through the real vault (encrypted with a test key)."""

from __future__ import annotations

from cryptography.fernet import Fernet
from pydantic import SecretStr

from engagement.settings import Settings
from engagement.store import Store
from engagement.x_oauth import SCOPES, TokenCipher, TokenGrant, XTokens, shared_beside
from sandbox.fake_x import FakeX

TEST_TOKEN_KEY = Fernet.generate_key()


def with_token_key(settings: Settings) -> Settings:
    return settings.model_copy(update={"token_encryption_keys": SecretStr(TEST_TOKEN_KEY.decode())})


def stored_tokens(home: Store) -> XTokens:
    """The vault next to the home community `home`, with the test key and no OAuth client (no refreshes)."""
    return XTokens(shared_beside(home), TokenCipher([TEST_TOKEN_KEY]), None, home.now)


async def sign_in(
    home: Store, x_user_id: str, access_token: str, *, discord_id: str = "1", lasts: float = 60 * 86400
) -> None:
    """That X account signed in: its access token (good for `lasts` seconds: the test vault cannot refresh, and
    `grant_user_token`'s tokens never expire) stored where the batch reads it."""
    grant = TokenGrant(access_token, f"refresh-{access_token}", home.now() + lasts, SCOPES)
    await stored_tokens(home).save(discord_id, x_user_id, grant)


def with_x_sign_in(settings: Settings, fake: FakeX, client_id: str, public_base_url: str | None = None) -> Settings:
    """`settings` with Sign in with X set up against the fake X (the client registered there, the test key)."""
    public = public_base_url or settings.web_base_url
    fake.register_oauth_client(client_id, f"{public}/oauth/x/callback")
    update = {
        "x_oauth_client_id": client_id,
        "public_base_url": public,
        "token_encryption_keys": SecretStr(TEST_TOKEN_KEY.decode()),
        "x_api_base_url": fake.base_url,
        "x_authorize_url": f"{fake.base_url}/i/oauth2/authorize",
    }
    configured = settings.model_copy(update=update)
    assert configured.x_sign_in
    return configured
