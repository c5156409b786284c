"""Members' OAuth tokens, X's and Threads' (shared prefix): the encrypted pair, its refresh lock, pending sign-ins.

X's refresh tokens are single use, so a refresh runs under a per-token lock and its new pair is written
only while that lock is still held (one script: the lock checked, then the hash written).
"""

from __future__ import annotations

import hashlib

from engagement.store._base import ArgT, FieldT, StoreBase, text, wrong_type_is_damage
from engagement.store._lua import checked

# KEYS: the token hash, its lock. ARGV: the lock holder's value, then field/value pairs.
REPLACE_IF_LOCKED_LUA = checked("""
local bad = want(KEYS[1], 'hash') or want(KEYS[2], 'string')
if bad then return {'damaged', bad} end
if redis.call('GET', KEYS[2]) ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[1], unpack(ARGV, 2))
return 1
""")

NOTICES_KEPT = 1000

RELEASE_IF_HELD_LUA = """
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
"""


def _mapping(fields: dict[str, ArgT]) -> dict[FieldT, FieldT]:
    return {key: value for key, value in fields.items()}


def _digest(state: str) -> str:
    return hashlib.sha256(state.encode()).hexdigest()


class XTokensMixin(StoreBase):
    async def x_token_record(self, x_user_id: str) -> dict[str, str]:
        return await self.read_hash(self.keys.x_token(x_user_id))

    async def save_x_token(self, x_user_id: str, fields: dict[str, ArgT]) -> None:
        """A new sign-in's record, replacing any earlier one whole (one transaction)."""
        key = self.keys.x_token(x_user_id)
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.delete(key)
            pipe.hset(key, mapping=_mapping(fields))
            await pipe.execute()

    async def update_x_token(self, x_user_id: str, fields: dict[str, ArgT]) -> None:
        with wrong_type_is_damage(self.keys.x_token(x_user_id), "hash"):
            await self.redis.hset(self.keys.x_token(x_user_id), mapping=_mapping(fields))

    async def mark_x_token_needs_reauth(self, x_user_id: str, at: int, notice: str) -> None:
        """The sign-in stops being used, and the member's DM notice is queued, in one transaction."""
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.hset(self.keys.x_token(x_user_id), mapping={"status": "needs_reauth", "needs_reauth_at": at})
            pipe.rpush(self.keys.member_notices(), notice)
            pipe.ltrim(self.keys.member_notices(), -NOTICES_KEPT, -1)
            await pipe.execute()

    async def pop_member_notice(self) -> str | None:
        with wrong_type_is_damage(self.keys.member_notices(), "list"):
            return text(await self.redis.lpop(self.keys.member_notices()))  # type: ignore[arg-type]

    async def return_member_notice(self, notice: str) -> None:
        await self.redis.lpush(self.keys.member_notices(), notice)

    async def delete_x_token(self, x_user_id: str) -> bool:
        return bool(await self.redis.delete(self.keys.x_token(x_user_id)))

    async def lock_x_token(self, x_user_id: str, holder: str, ttl_ms: int) -> bool:
        return bool(await self.redis.set(self.keys.x_token_lock(x_user_id), holder, nx=True, px=ttl_ms))

    async def unlock_x_token(self, x_user_id: str, holder: str) -> None:
        await self.script(RELEASE_IF_HELD_LUA)(keys=[self.keys.x_token_lock(x_user_id)], args=[holder])

    async def replace_x_token_if_locked(self, x_user_id: str, holder: str, fields: dict[str, ArgT]) -> bool:
        """Write the refreshed pair only while `holder` still holds the lock; False (nothing written) if not."""
        keys = [self.keys.x_token(x_user_id), self.keys.x_token_lock(x_user_id)]
        pairs = [part for pair in fields.items() for part in pair]
        return bool(await self.run(REPLACE_IF_LOCKED_LUA, keys, [holder, *pairs]))

    async def x_token_user_ids(self) -> list[str]:
        """Every token owner with a stored token (for re-encryption): X user ids, `threads:<id>` for Threads."""
        owners = []
        for pattern, tag in ((self.keys.x_tokens_pattern(), ""), (self.keys.threads_tokens_pattern(), "threads:")):
            prefix = pattern[:-1]
            found = {str(text(key)) async for key in self.redis.scan_iter(match=pattern)}
            owners += sorted(tag + key.removeprefix(prefix) for key in found if not key.endswith(":lock"))
        return owners

    # Pending sign-ins, by the SHA-256 of their state
    async def save_x_sign_in(self, state: str, payload: str, ttl_seconds: int) -> None:
        await self.redis.set(self.keys.x_sign_in(_digest(state)), payload, ex=ttl_seconds)

    async def peek_x_sign_in(self, state: str) -> str | None:
        return await self.read_string(self.keys.x_sign_in(_digest(state)))

    async def take_x_sign_in(self, state: str) -> str | None:
        """The pending sign-in once; it is gone afterwards (a replayed callback finds nothing)."""
        key = self.keys.x_sign_in(_digest(state))
        with wrong_type_is_damage(key, "string"):
            return text(await self.redis.getdel(key))
