"""Role rewards and tier promotion rules: audited settings, and who the bot has granted each role to."""

from __future__ import annotations

from collections.abc import Sequence

from engagement.store._admin import SET_CONFIG_LUA
from engagement.store._base import AUDIT_MAXLEN, ArgT, StoreBase, text_map, texts


class RoleRewardsMixin(StoreBase):
    async def set_rule_field(self, rules_key: str, field: str, value: str, actor: str, action: str) -> str:
        """One audited change of a rules hash (role rewards, tier rules); the old value ('' if none)."""
        keys = [rules_key, self.keys.audit()]
        args: list[ArgT] = [field, value, actor, int(self.now()), AUDIT_MAXLEN, action]
        return str(await self.run(SET_CONFIG_LUA, keys, args))

    async def rules_hash(self, rules_key: str) -> dict[str, str]:
        return text_map(await self.redis.hgetall(rules_key))

    async def members_at_least(self, board: str, points: int) -> list[str]:
        """The members with at least `points` on `board`."""
        return texts(await self.redis.zrangebyscore(board, points, "+inf"))

    async def granted(self, role_id: str) -> set[str]:
        return set(texts(await self.redis.smembers(self.keys.role_granted(role_id))))

    async def note_granted(self, role_id: str, members: Sequence[str], *, granted: bool) -> None:
        """Remember that the bot gave (or took back) the role: only what it granted is ever revoked."""
        if members:
            key = self.keys.role_granted(role_id)
            await (self.redis.sadd(key, *members) if granted else self.redis.srem(key, *members))
