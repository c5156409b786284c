"""The members' OAuth tokens (X's, and Threads' through `MemberTokens`): stored encrypted, refreshed ahead of
expiry under a per-token lock, revoked on leave.

X's refresh tokens rotate: each works once. Two processes refreshing the same token at once would lose it, so
a refresh takes the token's lock in Redis, re-reads the record (someone may have just refreshed it), and
writes the new pair while it still holds the lock; whoever lost the race waits and reads the new token.
A refresh X refuses marks the record `needs_reauth`: likes on that member's posts stop being read until they
sign in again (their /stats says so).
"""

from __future__ import annotations

import asyncio
import json
import logging
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from engagement.errors import DamagedData
from engagement.keys import SHARED, Keys, beside
from engagement.logs import add_secrets
from engagement.settings import Settings
from engagement.store import Store
from engagement.store._base import ArgT
from engagement.x_oauth._cipher import TokenCipher
from engagement.x_oauth._client import TokenGrant, XOAuthClient, XOAuthRefused, XOAuthUnavailable

log = logging.getLogger(__name__)

OK, NEEDS_REAUTH = "ok", "needs_reauth"
REAUTH_NOTICE = (
    "X no longer accepts your Sign in with X, so likes on your posts are not counted for now. "
    "Run /connect in the server and press Sign in with X to fix it."
)
REFRESH_AHEAD_SECONDS = 600  # refresh a token with less than this left (X's last about 2 hours)
LOCK_TTL_MS = 30_000  # longer than a refresh request can take (its timeout is X_TIMEOUT_SECONDS, at most 120 s)
WAIT_SECONDS = 0.1
WAIT_STEPS = 300  # up to 30 s for another process's refresh


class TokenRefresher(Protocol):
    """A platform's OAuth client as the vault uses it (X's; Threads' through an adapter)."""

    async def refresh(self, refresh_token: str, now: float) -> TokenGrant: ...

    async def revoke(self, token: str) -> None: ...

    async def aclose(self) -> None: ...


@dataclass(frozen=True)
class TokenPlatform:
    """What differs between the platforms' token vaults."""

    name: str
    owner_prefix: str  # the store's token owner: "" and an X user id, or "threads:" and a Threads user id
    refresh_ahead_seconds: int
    reauth_notice: str


X_TOKENS = TokenPlatform("X", "", REFRESH_AHEAD_SECONDS, REAUTH_NOTICE)


@dataclass(frozen=True)
class MemberNotice:
    """A message the worker queued for the bot to DM to one member."""

    discord_id: str
    text: str

    @classmethod
    def from_json(cls, raw: str) -> MemberNotice | None:
        try:
            fields = json.loads(raw)
            notice = cls(str(fields["discord_id"]), str(fields["text"]))
        except (ValueError, KeyError, TypeError):
            return None
        return notice if notice.discord_id.isdigit() and notice.text else None


def shared_beside(home: Store) -> Store:
    """The shared store next to the home community's (where `Communities.shared` is)."""
    return Store(home.redis, Keys(beside(home.keys.prefix, SHARED)), clock=home.now)


class MemberTokens:
    """The one owner of one platform's member tokens (the shared prefix's `xtoken:*` or `threadstoken:*`)."""

    platform = X_TOKENS

    def __init__(
        self, shared: Store, cipher: TokenCipher | None, oauth: TokenRefresher | None, clock: Callable[[], float]
    ) -> None:
        self.store, self.cipher, self.oauth, self.clock = shared, cipher, oauth, clock

    async def aclose(self) -> None:
        if self.oauth is not None:
            await self.oauth.aclose()

    async def save(self, discord_id: str, user_id: str, grant: TokenGrant) -> None:
        if self.cipher is None:
            raise DamagedData(f"TOKEN_ENCRYPTION_KEYS is not set: {self.platform.name} tokens cannot be stored")
        fields: dict[str, ArgT] = {**self._pair(grant), "discord_id": discord_id, "status": OK, "scope": grant.scope}
        await self.store.save_x_token(self._owner(user_id), fields)
        log.info("member %s signed in with %s account %s", discord_id, self.platform.name, user_id)

    async def status(self, user_id: str) -> str | None:
        """`ok`, `needs_reauth`, or None when that account never signed in (or its record is unreadable)."""
        try:
            record = await self.store.x_token_record(self._owner(user_id))
        except DamagedData:
            return None
        return record.get("status") or None if record else None

    async def access_token(self, user_id: str) -> str | None:
        """A usable access token of that account, refreshed when it is about to expire; None when there is none."""
        record = await self.store.x_token_record(self._owner(user_id))
        if self.cipher is None or not record or record.get("status") != OK:
            return None
        if self._fresh(record) or self.oauth is None:
            return self._usable(record)
        holder = secrets.token_hex(8)
        for _ in range(WAIT_STEPS):
            if await self.store.lock_x_token(self._owner(user_id), holder, LOCK_TTL_MS):
                try:
                    return await self._refresh_locked(user_id, holder)
                finally:
                    await self.store.unlock_x_token(self._owner(user_id), holder)
            await asyncio.sleep(WAIT_SECONDS)  # another process is refreshing it: read what it writes
            record = await self.store.x_token_record(self._owner(user_id))
            if not record or record.get("status") != OK:
                return None
            if self._fresh(record):
                return self._usable(record)
        log.warning(
            "%s token of %s: another process held its refresh lock too long; skipped", self.platform.name, user_id
        )
        return self._usable(record)

    async def _refresh_locked(self, user_id: str, holder: str) -> str | None:
        assert self.oauth is not None
        assert self.cipher is not None
        record = await self.store.x_token_record(self._owner(user_id))
        if not record or record.get("status") != OK:
            return None
        if self._fresh(record):  # refreshed by another process between our read and our lock
            return self._usable(record)
        try:
            grant = await self.oauth.refresh(self.cipher.decrypt(record["refresh"]), self.clock())
        except XOAuthRefused:
            notice = json.dumps({"discord_id": record.get("discord_id", ""), "text": self.platform.reauth_notice})
            await self.store.mark_x_token_needs_reauth(self._owner(user_id), int(self.clock()), notice)
            log.info("%s refused to refresh the token of %s: marked needs_reauth", self.platform.name, user_id)
            return None
        except XOAuthUnavailable as error:
            log.warning("%s token of %s not refreshed: %s", self.platform.name, user_id, error)
            return self._usable(record)
        pair = self._pair(grant)
        if not await self.store.replace_x_token_if_locked(self._owner(user_id), holder, pair):
            # The lock expired under us; X has already rotated the pair, so keeping the new one is still right.
            log.warning(
                "%s token of %s: refresh lock expired during the refresh; the new pair is kept",
                self.platform.name,
                user_id,
            )
            await self.store.update_x_token(self._owner(user_id), pair)
        add_secrets([grant.access_token, grant.refresh_token])
        return grant.access_token

    async def refused(self, user_id: str) -> None:
        """The platform refused the access token: it counts as expired, so the next use refreshes it (or, if the
        platform refuses that too, marks the sign-in needs_reauth)."""
        if await self.store.x_token_record(self._owner(user_id)):
            await self.store.update_x_token(self._owner(user_id), {"expires_at": 0})
            log.info(
                "%s refused the access token of %s; it is refreshed before its next use", self.platform.name, user_id
            )

    async def remove(self, user_id: str) -> bool:
        """Revoke the grant at the platform (best effort: deleted here in any case); False when it was not told."""
        record = await self.store.x_token_record(self._owner(user_id))
        if not record:
            return True
        told = False
        if self.oauth is not None and self.cipher is not None:
            try:
                await self.oauth.revoke(self.cipher.decrypt(record["refresh"]))
                told = True
            except (XOAuthRefused, XOAuthUnavailable, DamagedData, KeyError) as error:
                log.warning(
                    "%s token of %s not revoked (%s); deleted here", self.platform.name, user_id, type(error).__name__
                )
        await self.store.delete_x_token(self._owner(user_id))
        return told

    async def reencrypt_all(self) -> int:
        """Every stored token (every platform's) encrypted again with the first key of TOKEN_ENCRYPTION_KEYS;
        how many records."""
        if self.cipher is None:
            raise DamagedData("TOKEN_ENCRYPTION_KEYS is not set")
        done = 0
        for owner in await self.store.x_token_user_ids():
            holder = secrets.token_hex(8)
            for _ in range(WAIT_STEPS):  # under the refresh lock: a refresh meanwhile must not be overwritten
                if await self.store.lock_x_token(owner, holder, LOCK_TTL_MS):
                    break
                await asyncio.sleep(WAIT_SECONDS)
            else:
                raise DamagedData(f"the token of {owner} stayed locked; run the re-encryption again")
            try:
                record = await self.store.x_token_record(owner)
                rotated: dict[str, ArgT] = {
                    name: self.cipher.rotate(record[name]) for name in ("access", "refresh") if name in record
                }
                done += bool(rotated) and await self.store.replace_x_token_if_locked(owner, holder, rotated)
            finally:
                await self.store.unlock_x_token(owner, holder)
        return done

    def _owner(self, user_id: str) -> str:
        return self.platform.owner_prefix + user_id

    def _pair(self, grant: TokenGrant) -> dict[str, ArgT]:
        assert self.cipher is not None
        return {
            "access": self.cipher.encrypt(grant.access_token),
            "refresh": self.cipher.encrypt(grant.refresh_token),
            "expires_at": int(grant.expires_at),
            "status": OK,
        }

    def _fresh(self, record: dict[str, str]) -> bool:
        expires = record.get("expires_at", "")
        return expires.isdigit() and int(expires) - self.clock() > self.platform.refresh_ahead_seconds

    def _usable(self, record: dict[str, str]) -> str | None:
        """The stored access token while it has not expired."""
        expires = record.get("expires_at", "")
        if not expires.isdigit() or int(expires) <= self.clock() or self.cipher is None:
            return None
        token = self.cipher.decrypt(record["access"])
        add_secrets([token])  # never in a log line, whatever logs a request
        return token


class XTokens(MemberTokens):
    """The members' X tokens (`xtoken:*`), keyed by X user id."""

    @classmethod
    def from_settings(cls, shared: Store, settings: Settings) -> XTokens:
        oauth = XOAuthClient(settings) if settings.x_oauth_client_id else None
        return cls(shared, TokenCipher.from_settings(settings), oauth, shared.now)
