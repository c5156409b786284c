"""The REST API's state, under the shared prefix (a request names its token before its community): API tokens
by the SHA-256 of their secret, each community's list of them, and the rate-limit counters."""

from __future__ import annotations

from engagement.store._base import FieldT, StoreBase, text, text_map


class ApiTokensMixin(StoreBase):
    async def claim_api_form(self, digest: str, ttl_seconds: int) -> bool:
        """True the first time a token form (by the SHA-256 of its one-time id) is sent; False for a re-send."""
        return bool(await self.redis.set(self.keys.api("form", digest), "1", nx=True, ex=ttl_seconds))

    async def save_api_token(self, guild_id: int, token_id: str, digest: str, fields: dict[str, str]) -> None:
        """A new token (its fields by `digest`), listed under its community by `token_id`."""
        mapping: dict[FieldT, FieldT] = {name: value for name, value in fields.items()}
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.hset(self.keys.api("token", digest), mapping=mapping)
            pipe.hset(self.keys.api("tokens", str(guild_id)), token_id, digest)
            await pipe.execute()

    async def api_token(self, digest: str) -> dict[str, str]:
        """The token's fields, empty when there is none (never made, or revoked)."""
        return await self.read_hash(self.keys.api("token", digest))

    async def api_tokens(self, guild_id: int) -> list[dict[str, str]]:
        """Every live token of a community (fields), in no particular order."""
        digests = await self.read_hash(self.keys.api("tokens", str(guild_id)))
        async with self.redis.pipeline(transaction=False) as pipe:
            for digest in digests.values():
                pipe.hgetall(self.keys.api("token", digest))
            rows = await pipe.execute()
        return [text_map(row) for row in rows if row]

    async def delete_api_token(self, guild_id: int, token_id: str) -> dict[str, str]:
        """Remove a community's token; its fields as they were, empty when it had no such token."""
        index = self.keys.api("tokens", str(guild_id))
        digest = text(await self.redis.hget(index, token_id))
        if digest is None:
            return {}
        key = self.keys.api("token", digest)
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.hgetall(key)
            pipe.delete(key)
            pipe.hdel(index, token_id)
            fields, *_ = await pipe.execute()
        return text_map(fields or {})

    async def touch_api_token(self, digest: str, used_at: int) -> None:
        """Note when a token was last used; a token revoked meanwhile is not brought back."""
        key = self.keys.api("token", digest)
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.exists(key)
            pipe.hset(key, "last_used_at", used_at)
            exists, _ = await pipe.execute()
        if not exists:
            await self.redis.delete(key)

    async def count_request(self, who_digest: str, window_seconds: int) -> tuple[int, float]:
        """Count one request of `who` in the current fixed window (by the store's clock): (requests in this
        window so far, seconds until the window ends)."""
        now = self.now()
        window = int(now // window_seconds)
        key = self.keys.api("rate", f"{who_digest}:{window}")
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.incr(key)
            pipe.expire(key, window_seconds * 2)  # outlives its window a little; a later window has its own key
            count, _ = await pipe.execute()
        return int(count), (window + 1) * window_seconds - now
