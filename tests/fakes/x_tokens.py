"""Members signed in with X, for tests: their tokens stored through the real vault (encrypted with a test key)."""

from __future__ import annotations

from cryptography.fernet import Fernet
from pydantic import SecretStr

from engagement.settings import Settings
from engagement.store import Store
from engagement.x_oauth import SCOPES, TokenCipher, TokenGrant, XTokens, shared_beside

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
