"""Rule overrides and the audit stream."""

from __future__ import annotations

from collections.abc import Mapping

from engagement.store._base import StoreBase, text, text_map
from engagement.validation import ENGAGEMENT_TYPES, TIERS


class RulesMixin(StoreBase):
    def _rule_keys(self) -> list[tuple[tuple[int, str], str]]:
        return [((t, kind), self.keys.rule(t, kind)) for t in TIERS for kind in ENGAGEMENT_TYPES]

    async def rule_overrides(self) -> dict[tuple[int, str], str]:
        """Raw override values by (tier, type); validation is the rules package's job."""
        pairs = self._rule_keys()
        values = await self.redis.mget([key for _, key in pairs])
        return {rule: str(text(value)) for (rule, _), value in zip(pairs, values, strict=True) if value is not None}

    async def set_rule(self, actor_id: str, tier: int, kind: str, points: int, old: int) -> None:
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.set(self.keys.rule(tier, kind), points)
            self.add_audit(pipe, actor_id, "rule", f"{tier}-{kind}", old, points)
            await pipe.execute()

    async def reset_rules(self, actor_id: str) -> None:
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.delete(*[key for _, key in self._rule_keys()])
            self.add_audit(pipe, actor_id, "rules-reset", "all", None, "defaults")
            await pipe.execute()

    async def audit(self, actor_id: str, action: str, target: str, old: object, new: object) -> None:
        async with self.redis.pipeline(transaction=False) as pipe:
            self.add_audit(pipe, actor_id, action, target, old, new)
            await pipe.execute()

    async def audit_entries(self, count: int = 20) -> list[Mapping[str, str]]:
        rows = await self.redis.xrevrange(self.keys.audit(), count=count)
        return [text_map(fields or {}) for _, fields in rows or []]
