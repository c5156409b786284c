"""Rule overrides and the audit stream."""

from __future__ import annotations

from collections.abc import Mapping

from engagement.store._base import AUDIT_MAXLEN, ArgT, StoreBase, text, text_map
from engagement.store._lua import audit_lua, checked
from engagement.validation import ENGAGEMENT_TYPES, TIERS

# KEYS: the audit stream, then the rule keys to set (ARGV[7] = points) or delete (reset).
# ARGV: actor, action, target, old, new, now, points ('' deletes), audit maxlen.
RULES_LUA = checked(
    """
local bad = want(KEYS[1], 'stream') or want_each(KEYS, 2, 1, 'string')
if bad then return {'damaged', bad} end
for i = 2, #KEYS do
  if ARGV[7] == '' then redis.call('DEL', KEYS[i]) else redis.call('SET', KEYS[i], ARGV[7]) end
end
"""
    + audit_lua("KEYS[1]", "ARGV[8]", "ARGV[1]", "ARGV[2]", "ARGV[3]", "ARGV[4]", "ARGV[5]", "ARGV[6]")
    + """)
return 1
"""
)


class RulesMixin(StoreBase):
    def _rule_keys(self) -> list[tuple[tuple[int, str], str]]:
        return [((t, kind), self.keys.rule(t, kind)) for t in TIERS for kind in ENGAGEMENT_TYPES]

    async def rule_overrides(self) -> dict[tuple[int, str], str]:
        """Raw override values by (tier, type); validation is the rules package's job."""
        pairs = self._rule_keys()
        values = await self.redis.mget([key for _, key in pairs])
        return {rule: str(text(value)) for (rule, _), value in zip(pairs, values, strict=True) if value is not None}

    async def set_rule(self, actor_id: str, tier: int, kind: str, points: int, old: int) -> None:
        args: list[ArgT] = [actor_id, "rule", f"{tier}-{kind}", old, points, int(self.now()), points, AUDIT_MAXLEN]
        await self.run(RULES_LUA, [self.keys.audit(), self.keys.rule(tier, kind)], args)

    async def reset_rules(self, actor_id: str) -> None:
        args: list[ArgT] = [actor_id, "rules-reset", "all", "", "defaults", int(self.now()), "", AUDIT_MAXLEN]
        await self.run(RULES_LUA, [self.keys.audit(), *[key for _, key in self._rule_keys()]], args)

    async def audit(self, actor_id: str, action: str, target: str, old: object, new: object) -> None:
        async with self.redis.pipeline(transaction=False) as pipe:
            self.add_audit(pipe, actor_id, action, target, old, new)
            await pipe.execute()

    async def audit_entries(self, count: int = 20) -> list[Mapping[str, str]]:
        rows = await self.redis.xrevrange(self.keys.audit(), count=count)
        return [text_map(fields or {}) for _, fields in rows or []]
