"""The point table for admins: show it, change one rule, reset to the defaults. Changes apply from the next batch."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from engagement import validation
from engagement.errors import InvalidInput
from engagement.store import Store
from rules import RuleTable, apply_overrides, default_rules, parse_override

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RulesView:
    table: RuleTable
    overridden: frozenset[tuple[int, str]]
    """Rules an admin changed from the default."""
    ignored: dict[tuple[int, str], str]
    """Stored overrides that are not valid (edited by hand); the default applies instead."""


async def show_rules(store: Store) -> RulesView:
    overrides: dict[tuple[int, str], int] = {}
    ignored: dict[tuple[int, str], str] = {}
    for (tier, kind), raw in (await store.rule_overrides()).items():
        try:
            rule, points = parse_override(tier, kind, raw)
        except InvalidInput:
            ignored[(tier, kind)] = raw
            continue
        overrides[rule] = points
    return RulesView(apply_overrides(default_rules(), overrides), frozenset(overrides), ignored)


async def set_rule(store: Store, actor_id: str, tier: object, kind: object, points: object) -> tuple[int, int]:
    """Set the points of one (tier, type); returns (old, new). Audited."""
    actor = validation.discord_id(actor_id)
    (tier_value, kind_value), new = parse_override(tier, kind, points)
    old = (await show_rules(store)).table[(tier_value, kind_value)]
    await store.set_rule(actor, tier_value, kind_value, new, old)
    log.info("admin %s set rule %s-%s from %s to %s", actor, tier_value, kind_value, old, new)
    return old, new


async def reset_rules(store: Store, actor_id: str) -> int:
    """Back to the default table; returns how many rules had been changed. Audited."""
    actor = validation.discord_id(actor_id)
    changed = len(await store.rule_overrides())
    await store.reset_rules(actor)
    log.info("admin %s reset the rules (%d overrides removed)", actor, changed)
    return changed
