"""Member reads behind /stats and /leaderboard that the other mixins do not cover."""

from __future__ import annotations

from engagement.store._base import StoreBase, text


class MembersMixin(StoreBase):
    async def handles_for_members(self, discord_ids: list[str]) -> dict[str, str]:
        """Connected X handles of many members at once: {discord_id: handle}; unconnected ones left out."""
        if not discord_ids:
            return {}
        async with self.redis.pipeline(transaction=False) as pipe:
            for discord_id in discord_ids:
                pipe.hget(self.keys.connection(discord_id), "handle")
            handles = await pipe.execute()
        return {member: str(text(handle)) for member, handle in zip(discord_ids, handles, strict=True) if handle}
