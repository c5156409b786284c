"""Members' X tokens at rest: MultiFernet over TOKEN_ENCRYPTION_KEYS (the first key encrypts, every key decrypts)."""

from __future__ import annotations

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

from engagement.errors import DamagedData
from engagement.settings import Settings
from engagement.validation import token_cipher_keys


class TokenCipher:
    def __init__(self, keys: list[bytes]) -> None:
        self._fernet = MultiFernet([Fernet(key) for key in keys])

    @classmethod
    def from_settings(cls, settings: Settings) -> TokenCipher | None:
        """None when no keys are configured (then no token can be stored or read)."""
        if settings.token_encryption_keys is None:
            return None
        return cls(token_cipher_keys(settings.token_encryption_keys.get_secret_value()))

    def encrypt(self, token: str) -> str:
        return self._fernet.encrypt(token.encode()).decode()

    def decrypt(self, stored: str) -> str:
        try:
            return self._fernet.decrypt(stored.encode()).decode()
        except InvalidToken:
            raise DamagedData("a stored X token cannot be decrypted with any of TOKEN_ENCRYPTION_KEYS") from None

    def rotate(self, stored: str) -> str:
        """The same token encrypted with the first key."""
        try:
            return self._fernet.rotate(stored.encode()).decode()
        except InvalidToken:
            raise DamagedData("a stored X token cannot be decrypted with any of TOKEN_ENCRYPTION_KEYS") from None


def new_key() -> str:
    return Fernet.generate_key().decode()
