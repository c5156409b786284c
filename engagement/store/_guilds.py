"""Which served guilds the bot has left: kept on the home prefix, by single-key commands only (any slot)."""

from __future__ import annotations

from engagement.store._base import StoreBase, texts, wrong_type_is_damage


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
