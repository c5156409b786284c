"""What all communities of a deployment share, under its shared prefix (`KEY_PREFIX-shared`), by single-key
commands only (any slot on a cluster): the served guilds the bot has left, and the X accounts members proved."""

from __future__ import annotations

from engagement.store._base import StoreBase, text, texts, wrong_type_is_damage


class GuildsMixin(StoreBase):
    async def note_guild_left(self, guild_id: int) -> None:
        """The bot left `guild_id`: its community's data stays, the worker stops scanning it."""
        await self.redis.sadd(self.keys.guilds_left(), str(guild_id))

    async def note_guild_joined(self, guild_id: int) -> None:
        await self.redis.srem(self.keys.guilds_left(), str(guild_id))

    async def guilds_left(self) -> set[int]:
        key = self.keys.guilds_left()
        with wrong_type_is_damage(key, "set"):
            members = texts(await self.redis.smembers(key))
        return {int(member) for member in members if member.isdigit()}

    async def record_proof(self, discord_id: str, x_user_id: str, handle: str, verified_by: str) -> None:
        """`discord_id` proved `x_user_id` (then called `handle`) by `verified_by`."""
        await self.redis.hset(self.keys.proofs(discord_id), handle.lower(), f"{x_user_id}|{verified_by}")

    async def proof_of(self, discord_id: str, handle: str) -> tuple[str, str] | None:
        """(X user id, method) of the account this member proved under `handle`, if any."""
        key = self.keys.proofs(discord_id)
        with wrong_type_is_damage(key, "hash"):
            raw = await self.redis.hget(key, handle.lower())
        x_user_id, _, method = str(text(raw)).partition("|") if raw is not None else ("", "", "")
        return (x_user_id, method) if x_user_id.isdigit() and method else None
