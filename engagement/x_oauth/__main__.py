"""`python -m engagement.x_oauth new-key`: a new Fernet key for TOKEN_ENCRYPTION_KEYS.
`python -m engagement.x_oauth reencrypt`: every stored X token encrypted again with the first key (after putting a
new key first in TOKEN_ENCRYPTION_KEYS; the old keys can be dropped once this has run)."""

from __future__ import annotations

import asyncio
import sys

from engagement.errors import EngagementError, SettingsError, StoreUnavailable
from engagement.redis_conn import open_store
from engagement.settings import Settings, load_settings
from engagement.x_oauth._cipher import new_key
from engagement.x_oauth._tokens import XTokens, shared_beside

USAGE = "usage: python -m engagement.x_oauth new-key | reencrypt"


async def reencrypt(settings: Settings) -> int:
    async with open_store(settings) as home:
        tokens = XTokens.from_settings(shared_beside(home), settings)
        try:
            return await tokens.reencrypt_all()
        finally:
            await tokens.aclose()


def main(argv: list[str]) -> int:
    if argv == ["new-key"]:
        print(new_key())
        return 0
    if argv != ["reencrypt"]:
        print(USAGE, file=sys.stderr)
        return 2
    try:
        done = asyncio.run(reencrypt(load_settings()))
    except (SettingsError, StoreUnavailable, EngagementError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    print(f"re-encrypted {done} X sign-ins with the first key of TOKEN_ENCRYPTION_KEYS")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
