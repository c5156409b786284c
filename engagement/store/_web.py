"""The web panel's server-side state, under the shared prefix (a login is not one community's): pending OAuth
states and sessions. Keys hold a hash of the session id, so a copy of Redis holds no usable cookie."""

from __future__ import annotations

import hashlib

from engagement.store._base import FieldT, StoreBase, text, wrong_type_is_damage


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _mapping(fields: dict[str, str]) -> dict[FieldT, FieldT]:
    return {name: value for name, value in fields.items()}


class WebMixin(StoreBase):
    def _web_key(self, kind: str, secret: str) -> str:
        return self.keys.web(kind, _digest(secret))

    async def save_oauth_state(self, state: str, ttl_seconds: int) -> None:
        """A login started with `state`; it is good once, for `ttl_seconds`."""
        await self.redis.set(self._web_key("state", state), "1", ex=ttl_seconds, nx=True)

    async def take_oauth_state(self, state: str) -> bool:
        """True once for a state `save_oauth_state` stored and that has not expired; it is gone afterwards."""
        key = self._web_key("state", state)
        with wrong_type_is_damage(key, "string"):
            return await self.redis.getdel(key) is not None

    async def _write_session(self, session_id: str, fields: dict[str, str], ttl_seconds: int, *, whole: bool) -> bool:
        """Write `fields` (all of the session when `whole`) and its expiry in one transaction; whether it existed."""
        key = self._web_key("session", session_id)
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.delete(key) if whole else pipe.exists(key)
            pipe.hset(key, mapping=_mapping(fields))
            pipe.expire(key, max(ttl_seconds, 1))
            existed, *_ = await pipe.execute()
        return bool(existed)

    async def save_web_session(self, session_id: str, fields: dict[str, str], ttl_seconds: int) -> None:
        """Write (or replace) a whole session; it expires after `ttl_seconds` unless touched."""
        await self._write_session(session_id, fields, ttl_seconds, whole=True)

    async def update_web_session(self, session_id: str, fields: dict[str, str], ttl_seconds: int) -> None:
        """Change some fields of a live session and push its expiry to `ttl_seconds` from now."""
        if not await self._write_session(session_id, fields, ttl_seconds, whole=False):
            # ended meanwhile (logout in another tab): do not bring back a partial session
            await self.redis.delete(self._web_key("session", session_id))

    async def web_session(self, session_id: str) -> dict[str, str]:
        """The session's fields, empty when there is none (expired, ended, never made)."""
        return await self.read_hash(self._web_key("session", session_id))

    async def pop_web_session_field(self, session_id: str, name: str) -> str | None:
        """Read and remove one field (a one-time notice)."""
        key = self._web_key("session", session_id)
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.hget(key, name)
            pipe.hdel(key, name)
            value, _ = await pipe.execute()
        return text(value)

    async def delete_web_session(self, session_id: str) -> None:
        await self.redis.delete(self._web_key("session", session_id))
